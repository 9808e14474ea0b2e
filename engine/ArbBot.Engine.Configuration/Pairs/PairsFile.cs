using System.Globalization;
using System.Text;
using ArbBot.Engine.Configuration;
using YamlDotNet.RepresentationModel;

namespace ArbBot.Engine.Pairing;

/// <summary>
/// The reviewed pairs file (YAML): what <c>arbbot markets pair</c> proposes, what a reviewer
/// approves, and what <c>arbbot run</c> trades (approved pairs only, through the config's
/// <c>pairs_file:</c>). Every entry is checked on load; an approved pair must name who approved
/// it and cannot carry mismatches. Format: docs/pairing.md.
/// </summary>
public static class PairsFile
{
    private const string Header =
        "# Cross-venue pairs for review (docs/pairing.md). Only pairs with status: approved trade.\n"
        + "# To approve one: check its evidence and flags against both venues' rules, then set status: approved,\n"
        + "# approved_by: <your name> and approved_at: <date>, or run: arbbot markets approve --pairs FILE --by NAME EVENT...\n"
        + "# A pair with mismatches is not the same contract and cannot be approved.\n"
        + "# arbbot run (with pairs_file: pointing here) picks up changes to this file while it runs.\n";

    /// <summary>Reads a pairs file; legs must name venues in <paramref name="venues"/>.</summary>
    public static IReadOnlyList<ReviewedPair> Load(string path, IReadOnlyList<string> venues) =>
        Parse(File.ReadAllText(path), path, venues);

    /// <summary>Parses pairs file text; <paramref name="fileName"/> names it in errors.</summary>
    public static IReadOnlyList<ReviewedPair> Parse(string yaml, string fileName, IReadOnlyList<string> venues)
    {
        var top = new YamlSection(fileName, "", ConfigLoader.LoadMapping(yaml, fileName, "a pairs file must be a mapping with a pairs: list"));
        var pairs = new List<ReviewedPair>();
        IReadOnlyList<YamlNode> nodes = top.Sequence("pairs");
        for (int i = 0; i < nodes.Count; i++)
        {
            YamlSection entry = ConfigLoader.Entry(top, "pairs", i, nodes[i]);
            PairConfig pair = ConfigLoader.ReadPair(entry, venues, pairs.Select(p => p.Pair).ToList());
            ReviewFields review = ReviewFields.Read(entry);
            int? score = entry.Find("score") is null ? null : (int)entry.Integer("score", 0, 0, 100);
            entry.RejectUnknownKeys();
            review.Check(entry, $"pair {pair.EventId}", "it is not the same contract and cannot be approved");
            if (review.Status == PairStatus.Approved && pair.Legs.Count < 2)
            {
                throw entry.Error(entry.Find("legs")!, $"{entry.Qualify("legs")}: an approved pair needs a leg on two venues");
            }

            pairs.Add(new ReviewedPair(pair, review.Status, score, review.ApprovedBy, review.ApprovedAt, review.Evidence, review.Flags, review.Mismatches));
        }

        top.RejectUnknownKeys();
        return pairs;
    }

    /// <summary>
    /// A new proposal merged into an existing file: a pair already in the file (the same legs)
    /// keeps its review (status, approver, date) with the new evidence; pairs only in the old file
    /// are kept as they were; new ones are added with an event id not used yet.
    /// </summary>
    public static IReadOnlyList<ReviewedPair> Merge(IReadOnlyList<ReviewedPair> existing, IReadOnlyList<ReviewedPair> proposed)
    {
        var merged = new List<ReviewedPair>();
        var byLegs = proposed.ToDictionary(p => p.LegsKey, StringComparer.Ordinal);
        foreach (ReviewedPair old in existing)
        {
            if (byLegs.Remove(old.LegsKey, out ReviewedPair? again))
            {
                // A reviewer's rejection or approval stands, unless the venues' data now shows a mismatch.
                PairStatus status = again.Mismatches.Count > 0 ? PairStatus.Rejected : old.Status;
                merged.Add(again with
                {
                    Pair = again.Pair with { EventId = old.Pair.EventId },
                    Status = status,
                    ApprovedBy = status == PairStatus.Approved ? old.ApprovedBy : null,
                    ApprovedAt = status == PairStatus.Approved ? old.ApprovedAt : null,
                });
            }
            else
            {
                merged.Add(old);
            }
        }

        var ids = merged.Select(p => p.Pair.EventId).ToHashSet(StringComparer.Ordinal);
        foreach (ReviewedPair fresh in proposed.Where(p => byLegs.ContainsKey(p.LegsKey)))
        {
            string id = fresh.Pair.EventId;
            for (int n = 2; !ids.Add(id); n++)
            {
                id = $"{fresh.Pair.EventId}-{n}";
            }

            merged.Add(fresh with { Pair = fresh.Pair with { EventId = id } });
        }

        return merged;
    }

    /// <summary>Marks pairs approved by <paramref name="by"/> now; an unknown event or a pair with mismatches is refused (ArgumentException) and nothing changes.</summary>
    public static IReadOnlyList<ReviewedPair> Approve(IReadOnlyList<ReviewedPair> pairs, IReadOnlyCollection<string> eventIds, string by, DateTimeOffset now)
    {
        foreach (string id in eventIds)
        {
            ReviewedPair pair = pairs.FirstOrDefault(p => p.Pair.EventId == id)
                ?? throw new ArgumentException($"no pair {id} in the file (pairs: {string.Join(", ", pairs.Select(p => p.Pair.EventId))})");
            if (pair.Mismatches.Count > 0)
            {
                throw new ArgumentException($"pair {id} has mismatches ({string.Join("; ", pair.Mismatches)}): it is not the same contract and cannot be approved");
            }
        }

        string at = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return pairs.Select(p => eventIds.Contains(p.Pair.EventId) ? p with { Status = PairStatus.Approved, ApprovedBy = by, ApprovedAt = at } : p).ToList();
    }

    /// <summary>Writes the file (to a temporary file first, then renamed over it, so a running engine never reads half a file).</summary>
    public static void Save(string path, IReadOnlyList<ReviewedPair> pairs) => YamlText.SaveWhole(path, Format(pairs));

    /// <summary>The file's text.</summary>
    public static string Format(IReadOnlyList<ReviewedPair> pairs)
    {
        var text = new StringBuilder(Header).Append('\n');
        if (pairs.Count == 0)
        {
            return text.Append("pairs: []\n").ToString();
        }

        text.Append("pairs:\n");
        foreach (ReviewedPair p in pairs)
        {
            text.Append("  - event: ").Append(YamlText.Quote(p.Pair.EventId)).Append('\n');
            text.Append("    status: ").Append(p.Status.ToString().ToLowerInvariant()).Append('\n');
            text.Append("    approved_by: ").Append(YamlText.Quote(p.ApprovedBy ?? "")).Append('\n');
            text.Append("    approved_at: ").Append(YamlText.Quote(p.ApprovedAt ?? "")).Append('\n');
            if (p.Score is { } score)
            {
                text.Append("    score: ").Append(score.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }

            text.Append("    legs:\n");
            foreach (PairLegConfig leg in p.Pair.Legs)
            {
                text.Append("      ").Append(leg.Venue).Append(": ").Append(YamlText.Leg(leg)).Append('\n');
            }

            YamlText.List("    ", "evidence", p.Evidence, text);
            YamlText.List("    ", "flags", p.Flags, text);
            YamlText.List("    ", "mismatches", p.Mismatches, text);
        }

        return text.ToString();
    }
}
