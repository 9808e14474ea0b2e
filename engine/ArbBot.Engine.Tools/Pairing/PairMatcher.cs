using System.Globalization;
using ArbBot.Abstractions.Discovery;
using ArbBot.Engine.Configuration;

namespace ArbBot.Engine.Pairing;

/// <summary>Tolerances for pairing.</summary>
/// <param name="CloseTimeTolerance">Close times further apart than this are flagged (one market may settle much later).</param>
/// <param name="EventTimeTolerance">Event times (where both venues give one) further apart than this are different games.</param>
public sealed record PairingOptions(TimeSpan CloseTimeTolerance, TimeSpan EventTimeTolerance)
{
    /// <summary>48 hours between close times, 12 hours between game times.</summary>
    public static PairingOptions Default { get; } = new(TimeSpan.FromHours(48), TimeSpan.FromHours(12));
}

/// <summary>
/// Proposes cross-venue pairs: two markets are candidates when they name the same teams of the
/// same league; each candidate is then checked for everything that makes two markets settle
/// differently (date, kind of market, line, a draw one venue counts and the other does not, which
/// outcome YES stands for) and scored, with the evidence written out. Markets are matched one to
/// one; a candidate with a mismatch is proposed as rejected so the reviewer sees why.
/// </summary>
public sealed class PairMatcher(AliasTable aliases, PairingOptions options)
{
    /// <summary>Pairs the <paramref name="from"/> venue's markets with the <paramref name="to"/> venue's.</summary>
    public IReadOnlyList<ReviewedPair> Propose(string fromVenue, IReadOnlyList<ListedMarket> from, string toVenue, IReadOnlyList<ListedMarket> to)
    {
        List<MarketFacts> a = from.Select(m => MarketFacts.Read(m, from, aliases)).ToList();
        List<MarketFacts> b = to.Select(m => MarketFacts.Read(m, to, aliases)).ToList();
        var candidates = new List<Candidate>();
        foreach (MarketFacts x in a)
        {
            foreach (MarketFacts y in b)
            {
                if (x.Teams.Count >= 2 && y.Teams.Count == x.Teams.Count && x.Teams.All(y.Teams.Contains))
                {
                    candidates.Add(Evaluate(fromVenue, x, toVenue, y));
                }
            }
        }

        // Best first: clean before mismatched, higher score, no outcome swap needed, then by id for a stable file.
        candidates.Sort((p, q) =>
        {
            int c = (p.Mismatches.Count > 0).CompareTo(q.Mismatches.Count > 0);
            c = c != 0 ? c : q.Score.CompareTo(p.Score);
            c = c != 0 ? c : p.Swapped.CompareTo(q.Swapped);
            c = c != 0 ? c : string.CompareOrdinal(p.A.Market.MarketId, q.A.Market.MarketId);
            return c != 0 ? c : string.CompareOrdinal(p.B.Market.MarketId, q.B.Market.MarketId);
        });

        var usedA = new HashSet<string>(StringComparer.Ordinal);
        var usedB = new HashSet<string>(StringComparer.Ordinal);
        var eventIds = new HashSet<string>(StringComparer.Ordinal);
        var proposals = new List<ReviewedPair>();
        foreach (Candidate c in candidates.Where(c => c.Mismatches.Count == 0))
        {
            if (usedA.Contains(c.A.Market.MarketId) || usedB.Contains(c.B.Market.MarketId))
            {
                continue;
            }

            usedA.Add(c.A.Market.MarketId);
            usedB.Add(c.B.Market.MarketId);
            proposals.Add(c.ToReviewed(UniqueId(c, eventIds), PairStatus.Proposed));
        }

        // Near misses of the markets left unpaired on the other venue: shown as rejected, with the reasons, once each.
        foreach (Candidate c in candidates.Where(c => c.Mismatches.Count > 0))
        {
            if (usedB.Contains(c.B.Market.MarketId))
            {
                continue;
            }

            usedB.Add(c.B.Market.MarketId);
            proposals.Add(c.ToReviewed(UniqueId(c, eventIds), PairStatus.Rejected));
        }

        return proposals;
    }

    private Candidate Evaluate(string fromVenue, MarketFacts a, string toVenue, MarketFacts b)
    {
        var evidence = new List<string>();
        var flags = new List<string>();
        var mismatches = new List<string>();
        string teams = string.Join(", ", a.Teams.Select(t => t.Name));
        evidence.Add($"teams: {teams} named on both ({fromVenue}: \"{a.Market.Title}\"; {toVenue}: \"{b.Market.Title}\")");

        if (a.League is not null && b.League is not null && a.League != b.League)
        {
            mismatches.Add($"league: {fromVenue} is {a.League.Name}, {toVenue} is {b.League.Name}");
        }
        else if ((a.League ?? b.League) is { } league)
        {
            evidence.Add($"league: {league.Name}");
        }

        CompareDates(fromVenue, a, toVenue, b, evidence, flags, mismatches);

        if (a.Kind != b.Kind)
        {
            mismatches.Add($"kind: {fromVenue} is a {Describe(a.Kind)} market, {toVenue} a {Describe(b.Kind)} market");
        }
        else if (a.Kind != MarketKind.Winner)
        {
            if (a.Line != b.Line)
            {
                mismatches.Add($"line: {fromVenue} {a.Line ?? "not stated"}, {toVenue} {b.Line ?? "not stated"}");
            }
            else
            {
                evidence.Add($"kind: {Describe(a.Kind)} at {a.Line} on both");
                flags.Add($"{Describe(a.Kind)}: check that YES is the same side of the {a.Line} line on both venues");
            }
        }
        else
        {
            evidence.Add("kind: who wins, on both");
        }

        bool swap = Orient(fromVenue, a, toVenue, b, evidence, mismatches);
        // A YES/NO "team wins" market in a game that can be drawn counts a draw as NO; a market whose
        // two outcomes are the teams cannot (it voids or goes 50-50): the same words, different contracts.
        if (a.TeamOutcomes != b.TeamOutcomes && (a.TeamOutcomes ? b : a).ThreeWay && !a.YesIsDraw && !b.YesIsDraw)
        {
            (string threeWay, string twoWay) = a.TeamOutcomes ? (toVenue, fromVenue) : (fromVenue, toVenue);
            mismatches.Add($"draw: on {threeWay} the game can end in a draw (three-way: a draw is NO), on {twoWay} the only outcomes are the two teams: a draw settles them differently");
        }

        CompareRules(fromVenue, a, toVenue, b, flags);
        if (a.Market.CloseTime is { } ca && b.Market.CloseTime is { } cb && (ca - cb).Duration() > options.CloseTimeTolerance)
        {
            flags.Add($"close time: {fromVenue} closes {Utc(ca)}, {toVenue} {Utc(cb)} ({(ca - cb).Duration().TotalHours:0} h apart): one may settle much later");
        }

        int score = Math.Max(0, 100 - (10 * flags.Count) - (mismatches.Count > 0 ? 50 : 0));
        return new Candidate(fromVenue, a, toVenue, b, swap, score, evidence, flags, mismatches);
    }

    /// <summary>
    /// Which of <paramref name="b"/>'s outcomes stands for <paramref name="a"/>'s YES. Returns
    /// whether one side's outcome ids must be swapped; a YES that cannot be matched is a mismatch.
    /// </summary>
    private static bool Orient(string fromVenue, MarketFacts a, string toVenue, MarketFacts b, List<string> evidence, List<string> mismatches)
    {
        if (a.YesIsDraw || b.YesIsDraw)
        {
            if (a.YesIsDraw && b.YesIsDraw)
            {
                evidence.Add("orientation: YES is a draw on both");
            }
            else
            {
                mismatches.Add($"orientation: YES is a draw on {(a.YesIsDraw ? fromVenue : toVenue)} but a team's win on {(a.YesIsDraw ? toVenue : fromVenue)}");
            }

            return false;
        }

        if (a.YesTeam is null || b.YesTeam is null)
        {
            string which = a.YesTeam is null ? fromVenue : toVenue;
            MarketFacts unclear = a.YesTeam is null ? a : b;
            mismatches.Add($"orientation: cannot tell which team YES stands for on {which} (\"{unclear.Market.Title}\", YES \"{unclear.Market.YesLabel}\"): pair it by hand");
            return false;
        }

        if (a.YesTeam == b.YesTeam)
        {
            evidence.Add($"orientation: YES = {a.YesTeam.Name} on both ({fromVenue} \"{a.Market.YesLabel}\", {toVenue} \"{b.Market.YesLabel}\")");
            return false;
        }

        // b's NO stands for a's YES when NO is that team's outcome, or b's YES is the other team and no draw is possible.
        bool bNoIsAYes = b.NoTeam == a.YesTeam || (!b.ThreeWay && !a.ThreeWay && b.Teams.Count == 2 && a.Teams.Contains(b.YesTeam));
        if (!bNoIsAYes)
        {
            mismatches.Add($"orientation: YES = {a.YesTeam.Name} on {fromVenue} but {b.YesTeam.Name} on {toVenue}, and {toVenue}'s NO is not {a.YesTeam.Name}'s win");
            return false;
        }

        if (b.Market.YesId is not null && b.Market.NoId is not null)
        {
            evidence.Add($"orientation: YES = {a.YesTeam.Name} on {fromVenue} (\"{a.Market.YesLabel}\"); on {toVenue} that is the \"{(b.NoTeam == a.YesTeam ? b.Market.NoLabel : "No")}\" token {b.Market.NoId}, used as YES");
            return true;
        }

        if (a.Market.YesId is not null && a.Market.NoId is not null)
        {
            evidence.Add($"orientation: YES = {b.YesTeam.Name} on {toVenue} (\"{b.Market.YesLabel}\"); on {fromVenue} that is the token {a.Market.NoId}, used as YES");
            return true;
        }

        mismatches.Add($"orientation: YES = {a.YesTeam.Name} on {fromVenue} but {b.YesTeam.Name} on {toVenue}, and neither venue has outcome ids to swap");
        return false;
    }

    private void CompareDates(string fromVenue, MarketFacts a, string toVenue, MarketFacts b, List<string> evidence, List<string> flags, List<string> mismatches)
    {
        if (a.Date is null || b.Date is null)
        {
            flags.Add($"date: {(a.Date is null ? fromVenue : toVenue)} does not say when the game is: check it is the same game");
        }
        else if (a.Date != b.Date)
        {
            mismatches.Add($"date: {fromVenue}'s game is on {a.Date:yyyy-MM-dd}, {toVenue}'s on {b.Date:yyyy-MM-dd}");
        }
        else if (a.Market.EventTime is { } ta && b.Market.EventTime is { } tb && (ta - tb).Duration() > options.EventTimeTolerance)
        {
            mismatches.Add($"time: {fromVenue} {Utc(ta)}, {toVenue} {Utc(tb)}: more than {options.EventTimeTolerance.TotalHours:0} h apart");
        }
        else
        {
            evidence.Add($"date: {a.Date:yyyy-MM-dd} on both");
        }
    }

    private static void CompareRules(string fromVenue, MarketFacts a, string toVenue, MarketFacts b, List<string> flags)
    {
        if (a.Sources.Count > 0 && b.Sources.Count > 0 && !a.Sources.Overlaps(b.Sources))
        {
            flags.Add($"rules: resolution sources differ ({fromVenue}: {string.Join(", ", a.Sources)}; {toVenue}: {string.Join(", ", b.Sources)})");
        }

        if (a.FiftyFifty != b.FiftyFifty)
        {
            flags.Add($"rules: {(a.FiftyFifty ? fromVenue : toVenue)} resolves 50-50 in some cases (cancelled, tied or postponed game); {(a.FiftyFifty ? toVenue : fromVenue)}'s rules do not say so");
        }
    }

    private static string UniqueId(Candidate c, HashSet<string> used)
    {
        League? league = c.A.League ?? c.B.League;
        string date = (c.A.Date ?? c.B.Date)?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "nodate";
        string teams = string.Join("-", c.A.Teams.Select(t => t.Code).Order(StringComparer.Ordinal));
        string kind = c.A.Kind == MarketKind.Winner ? "" : $"-{c.A.Kind.ToString().ToUpperInvariant()}{c.A.Line}";
        string id = $"{(league?.Id ?? "game").ToUpperInvariant()}-{date}-{teams}{kind}";
        if (!c.A.ThreeWay && used.Add(id))
        {
            return id;
        }

        // Several markets on one game (a three-way game's team and draw markets): name the one YES stands for.
        string yes = c.A.YesIsDraw ? "DRAW" : c.A.YesTeam?.Code ?? "X";
        string unique = $"{id}-{yes}";
        for (int n = 2; !used.Add(unique); n++)
        {
            unique = $"{id}-{yes}-{n}";
        }

        return unique;
    }

    private static string Describe(MarketKind kind) => kind switch
    {
        MarketKind.Winner => "winner (moneyline)",
        MarketKind.Spread => "spread",
        _ => "total",
    };

    private static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private sealed record Candidate(string FromVenue, MarketFacts A, string ToVenue, MarketFacts B, bool Swapped, int Score, List<string> Evidence, List<string> Flags, List<string> Mismatches)
    {
        public ReviewedPair ToReviewed(string eventId, PairStatus status)
        {
            // The swap goes to whichever side has outcome ids (Orient prefers the "to" side).
            bool swapB = Swapped && B.Market.YesId is not null && B.Market.NoId is not null;
            bool swapA = Swapped && !swapB;
            var legs = new List<PairLegConfig> { Leg(FromVenue, A.Market, swapA), Leg(ToVenue, B.Market, swapB) };
            return new ReviewedPair(new PairConfig(eventId, legs, 0), status, Score, null, null, Evidence, Flags, Mismatches);
        }

        private static PairLegConfig Leg(string venue, ListedMarket market, bool swap) =>
            new(venue, market.MarketId, swap ? market.NoId : market.YesId, swap ? market.YesId : market.NoId, 0);
    }
}
