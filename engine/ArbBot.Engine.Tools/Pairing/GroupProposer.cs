using System.Globalization;
using System.Text;
using ArbBot.Abstractions.Discovery;
using ArbBot.Engine.Configuration;

namespace ArbBot.Engine.Pairing;

/// <summary>
/// Proposes outcome groups from one venue's own event data: the markets of one event, when the
/// venue says they exclude each other (Kalshi <c>mutually_exclusive</c>, a Polymarket neg-risk
/// event), become a group with one outcome each. Whether the outcomes are also exhaustive (exactly
/// one resolves YES) is for a reviewer: every proposal is written not exhaustive, with what to
/// check as flags (a catch-all outcome, outcomes the venue may still add, closed markets, close
/// times apart). Events the venue says are not exclusive are proposed as rejected, with why.
/// </summary>
public static class GroupProposer
{
    private static readonly string[] s_catchAllWords = ["other", "others", "field", "any other", "none of the above", "none", "someone else", "anyone else"];

    /// <summary>The groups among a venue's listed markets (events with two markets or more), in event order.</summary>
    public static IReadOnlyList<ReviewedGroup> Propose(string venue, IReadOnlyList<ListedMarket> markets)
    {
        var proposals = new List<ReviewedGroup>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (IGrouping<string, ListedMarket> ev in markets.Where(m => m.EventId.Length > 0).GroupBy(m => m.EventId, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            List<ListedMarket> outcomes = ev.OrderBy(m => m.MarketId, StringComparer.Ordinal).ToList();
            if (outcomes.Count < 2 || outcomes.Count > GroupConfig.MaxOutcomes)
            {
                continue;
            }

            string groupId = UniqueId(Id(ev.Key), used);
            var pairs = new List<PairConfig>();
            foreach (ListedMarket m in outcomes)
            {
                string outcomeId = UniqueId(Id(m.YesId is null ? m.MarketId : $"{ev.Key}-{Label(m)}"), used);
                pairs.Add(new PairConfig(outcomeId, [new PairLegConfig(venue, m.MarketId, m.YesId, m.NoId, 0)], 0));
            }

            (List<string> evidence, List<string> flags, List<string> mismatches) = Review(venue, ev.Key, outcomes);
            proposals.Add(new ReviewedGroup(
                new GroupConfig(groupId, pairs.Select(p => p.EventId).ToList(), Exhaustive: false, 0),
                pairs,
                mismatches.Count > 0 ? PairStatus.Rejected : PairStatus.Proposed,
                null,
                null,
                evidence,
                flags,
                mismatches));
        }

        return proposals;
    }

    private static (List<string> Evidence, List<string> Flags, List<string> Mismatches) Review(string venue, string eventId, List<ListedMarket> outcomes)
    {
        var evidence = new List<string>();
        var flags = new List<string>();
        var mismatches = new List<string>();
        string title = outcomes.Select(m => m.EventTitle).FirstOrDefault(t => !string.IsNullOrEmpty(t)) ?? eventId;
        evidence.Add($"{venue} event {eventId} \"{title}\": {outcomes.Count} markets listed: {string.Join(", ", outcomes.Select(Label))}");

        int exclusive = outcomes.Count(m => m.MutuallyExclusive == true), notExclusive = outcomes.Count(m => m.MutuallyExclusive == false);
        if (notExclusive > 0)
        {
            mismatches.Add($"{venue} does not mark the event's markets mutually exclusive: more than one may resolve YES, so no basket over them pays a fixed amount");
        }
        else if (exclusive == outcomes.Count)
        {
            evidence.Add(outcomes.Any(m => m.NegRisk == true)
                ? $"{venue} lists it as a neg-risk event: a NO of one outcome converts into a YES of every other, so at most one resolves YES"
                : $"{venue} marks the event's markets mutually exclusive: at most one resolves YES");
        }
        else
        {
            flags.Add($"{venue} does not say whether the markets exclude each other: read the rules before approving");
        }

        if (outcomes.Select(m => m.NegRisk).Distinct().Count() > 1)
        {
            mismatches.Add($"only some markets are neg-risk ({string.Join(", ", outcomes.Where(m => m.NegRisk == true).Select(Label))}): they are not one event's outcomes");
        }

        foreach (ListedMarket m in outcomes.Where(m => m.CatchAll == true || s_catchAllWords.Contains(Label(m).Trim().ToLowerInvariant())))
        {
            flags.Add($"\"{Label(m)}\" is a catch-all outcome: the set is exhaustive with it, and only if its rules cover every other result");
        }

        if (outcomes.Any(m => m.OutcomesMayBeAdded == true))
        {
            flags.Add($"{venue} may add outcomes to this event later (placeholders): a set bought now would miss them, so it is not exhaustive until the list is final");
        }

        if (outcomes.Where(m => m.Status is not ("open" or "active")).ToList() is { Count: > 0 } closed)
        {
            flags.Add($"not trading: {string.Join(", ", closed.Select(m => $"{Label(m)} ({m.Status})"))}");
        }

        if (outcomes.Where(m => m.CloseTime is not null).Select(m => m.CloseTime!.Value).ToList() is { Count: > 1 } closes && closes.Max() - closes.Min() > TimeSpan.FromHours(24))
        {
            flags.Add($"close times differ by {(closes.Max() - closes.Min()).TotalHours.ToString("0", CultureInfo.InvariantCulture)} hours: outcomes may resolve at different times");
        }

        flags.Add($"check that every possible result is one of these {outcomes.Count} outcomes on {venue}: a result none of them covers makes a YES basket lose everything");
        return (evidence, flags, mismatches);
    }

    /// <summary>What the market stands for within its event: the venue's outcome label, else its YES label, else its title.</summary>
    private static string Label(ListedMarket m) =>
        !string.IsNullOrWhiteSpace(m.OutcomeLabel) ? m.OutcomeLabel
        : m.YesLabel is { Length: > 0 } yes && !yes.Equals("Yes", StringComparison.OrdinalIgnoreCase) ? yes
        : m.Title;

    /// <summary>An id the config accepts: letters, digits and <c>-_.</c>; anything else becomes a dash.</summary>
    private static string Id(string text)
    {
        var id = new StringBuilder(text.Length);
        foreach (char c in text.Trim())
        {
            bool keep = char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.';
            if (keep || (id.Length > 0 && id[^1] != '-'))
            {
                id.Append(keep ? c : '-');
            }
        }

        string result = id.ToString().TrimEnd('-');
        return result.Length > 0 ? result : "OUTCOME";
    }

    private static string UniqueId(string id, HashSet<string> used)
    {
        string unique = id;
        for (int n = 2; !used.Add(unique); n++)
        {
            unique = $"{id}-{n}";
        }

        return unique;
    }
}
