using System.Globalization;
using System.Text;
using ArbBot.Engine.Configuration;
using YamlDotNet.RepresentationModel;

namespace ArbBot.Engine.Pairing;

/// <summary>
/// The reviewed groups file (YAML), like the pairs file: what <c>arbbot markets groups</c>
/// proposes from a venue's own event data, what a reviewer approves (and, after checking that
/// exactly one outcome resolves YES, marks exhaustive), and what <c>arbbot run</c> trades (approved
/// groups only, through the config's <c>groups_file:</c>). Every entry is checked on load.
/// Format: docs/pairing.md.
/// </summary>
public static class GroupsFile
{
    private const string Header =
        "# Outcome groups for review (docs/pairing.md). Only groups with status: approved trade.\n"
        + "# A group is an event whose outcomes are separate markets. To approve one: check its evidence and flags\n"
        + "# against the venue's rules, then run: arbbot markets approve --by NAME [--exhaustive] EVENT...\n"
        + "# Set exhaustive: true (--exhaustive) only when exactly one outcome resolves YES whatever happens: every\n"
        + "# outcome listed, no catch-all missing, one resolution rule. Only then does a YES basket pay $1 a set.\n"
        + "# A group with mismatches cannot be approved. arbbot run (groups_file: pointing here) picks up changes while it runs.\n";

    /// <summary>Reads a groups file; legs must name venues in <paramref name="venues"/>.</summary>
    public static IReadOnlyList<ReviewedGroup> Load(string path, IReadOnlyList<string> venues) =>
        Parse(File.ReadAllText(path), path, venues);

    /// <summary>Parses groups file text; <paramref name="fileName"/> names it in errors.</summary>
    public static IReadOnlyList<ReviewedGroup> Parse(string yaml, string fileName, IReadOnlyList<string> venues)
    {
        var top = new YamlSection(fileName, "", ConfigLoader.LoadMapping(yaml, fileName, "a groups file must be a mapping with a groups: list"));
        var groups = new List<ReviewedGroup>();
        var outcomeIds = new List<PairConfig>();
        IReadOnlyList<YamlNode> nodes = top.Sequence("groups");
        for (int i = 0; i < nodes.Count; i++)
        {
            YamlSection entry = ConfigLoader.Entry(top, "groups", i, nodes[i]);
            string eventId = entry.RequireString("event");
            ConfigLoader.CheckId(entry, entry.Find("event")!, entry.Qualify("event"), eventId);
            if (groups.Any(g => g.Group.EventId == eventId) || outcomeIds.Any(o => o.EventId == eventId))
            {
                throw entry.Error(entry.Find("event")!, $"{entry.Qualify("event")} \"{eventId}\" is listed twice");
            }

            ReviewFields review = ReviewFields.Read(entry);
            bool exhaustive = entry.Boolean("exhaustive", false);
            IReadOnlyList<YamlNode> outcomeNodes = entry.Sequence("outcomes");
            if (outcomeNodes.Count is < 2 or > GroupConfig.MaxOutcomes)
            {
                throw entry.Error(entry.Find("outcomes") ?? nodes[i], $"{entry.Qualify("outcomes")} must list 2 to {GroupConfig.MaxOutcomes} outcomes, each an event with legs (has {outcomeNodes.Count})");
            }

            var outcomes = new List<PairConfig>();
            for (int o = 0; o < outcomeNodes.Count; o++)
            {
                YamlSection outcome = ConfigLoader.Entry(entry, "outcomes", o, outcomeNodes[o]);
                PairConfig pair = ConfigLoader.ReadPair(outcome, venues, outcomeIds) with { SourceFile = fileName };
                outcome.RejectUnknownKeys();
                if (pair.EventId == eventId || groups.Any(g => g.Group.EventId == pair.EventId))
                {
                    throw outcome.Error(outcome.Find("event")!, $"{outcome.Qualify("event")} \"{pair.EventId}\" is a group's event id; an outcome needs its own");
                }

                outcomeIds.Add(pair);
                outcomes.Add(pair);
            }

            entry.RejectUnknownKeys();
            review.Check(entry, $"group {eventId}", "it cannot be approved");
            if (exhaustive && review.Status != PairStatus.Approved)
            {
                throw entry.Error(entry.Find("exhaustive")!, $"{entry.Qualify("exhaustive")} is true but group {eventId} is not approved: only a reviewer who approved it can say exactly one outcome resolves YES");
            }

            groups.Add(new ReviewedGroup(new GroupConfig(eventId, outcomes.Select(o => o.EventId).ToList(), exhaustive, entry.Line),
                outcomes, review.Status, review.ApprovedBy, review.ApprovedAt, review.Evidence, review.Flags, review.Mismatches));
        }

        top.RejectUnknownKeys();
        return groups;
    }

    /// <summary>
    /// A new proposal merged into an existing file: a group already in the file (the same outcome
    /// legs) keeps its id and review (status, exhaustive, approver) with the new evidence, unless the
    /// venue's data now shows a mismatch; groups only in the old file stay; new ones are added with
    /// an event id not used yet.
    /// </summary>
    public static IReadOnlyList<ReviewedGroup> Merge(IReadOnlyList<ReviewedGroup> existing, IReadOnlyList<ReviewedGroup> proposed)
    {
        var merged = new List<ReviewedGroup>();
        var byLegs = proposed.ToDictionary(g => g.LegsKey, StringComparer.Ordinal);
        foreach (ReviewedGroup old in existing)
        {
            if (byLegs.Remove(old.LegsKey, out ReviewedGroup? again))
            {
                bool rejected = again.Mismatches.Count > 0;
                PairStatus status = rejected ? PairStatus.Rejected : old.Status;
                bool approved = status == PairStatus.Approved;
                merged.Add(again with
                {
                    Group = again.Group with { EventId = old.Group.EventId, Exhaustive = approved && old.Group.Exhaustive, Outcomes = old.Group.Outcomes },
                    Outcomes = old.Outcomes,
                    Status = status,
                    ApprovedBy = approved ? old.ApprovedBy : null,
                    ApprovedAt = approved ? old.ApprovedAt : null,
                });
            }
            else
            {
                merged.Add(old);
            }
        }

        var ids = merged.SelectMany(g => g.Outcomes.Select(o => o.EventId).Append(g.Group.EventId)).ToHashSet(StringComparer.Ordinal);
        foreach (ReviewedGroup fresh in proposed.Where(g => byLegs.ContainsKey(g.LegsKey)))
        {
            if (fresh.Outcomes.Any(o => ids.Contains(o.EventId)) || ids.Contains(fresh.Group.EventId))
            {
                string suffix = "";
                for (int n = 2; ids.Contains(fresh.Group.EventId + suffix) || fresh.Outcomes.Any(o => ids.Contains(o.EventId + suffix)); n++)
                {
                    suffix = $"-{n}";
                }

                List<PairConfig> renamed = fresh.Outcomes.Select(o => o with { EventId = o.EventId + suffix }).ToList();
                merged.Add(fresh with
                {
                    Group = fresh.Group with { EventId = fresh.Group.EventId + suffix, Outcomes = renamed.Select(o => o.EventId).ToList() },
                    Outcomes = renamed,
                });
            }
            else
            {
                merged.Add(fresh);
            }

            foreach (string id in merged[^1].Outcomes.Select(o => o.EventId).Append(merged[^1].Group.EventId))
            {
                ids.Add(id);
            }
        }

        return merged;
    }

    /// <summary>
    /// Marks groups approved by <paramref name="by"/> now, and exhaustive if <paramref name="exhaustive"/>;
    /// an unknown event or a group with mismatches is refused (ArgumentException) and nothing changes.
    /// </summary>
    public static IReadOnlyList<ReviewedGroup> Approve(IReadOnlyList<ReviewedGroup> groups, IReadOnlyCollection<string> eventIds, string by, bool exhaustive, DateTimeOffset now)
    {
        foreach (string id in eventIds)
        {
            ReviewedGroup group = groups.FirstOrDefault(g => g.Group.EventId == id)
                ?? throw new ArgumentException($"no group {id} in the file (groups: {string.Join(", ", groups.Select(g => g.Group.EventId))})");
            if (group.Mismatches.Count > 0)
            {
                throw new ArgumentException($"group {id} has mismatches ({string.Join("; ", group.Mismatches)}): it cannot be approved");
            }
        }

        string at = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return groups.Select(g => eventIds.Contains(g.Group.EventId)
            ? g with { Status = PairStatus.Approved, ApprovedBy = by, ApprovedAt = at, Group = g.Group with { Exhaustive = exhaustive || g.Group.Exhaustive } }
            : g).ToList();
    }

    /// <summary>Writes the file (to a temporary file first, then renamed over it, so a running engine never reads half a file).</summary>
    public static void Save(string path, IReadOnlyList<ReviewedGroup> groups) => YamlText.SaveWhole(path, Format(groups));

    /// <summary>The file's text.</summary>
    public static string Format(IReadOnlyList<ReviewedGroup> groups)
    {
        var text = new StringBuilder(Header).Append('\n');
        if (groups.Count == 0)
        {
            return text.Append("groups: []\n").ToString();
        }

        text.Append("groups:\n");
        foreach (ReviewedGroup g in groups)
        {
            text.Append("  - event: ").Append(YamlText.Quote(g.Group.EventId)).Append('\n');
            text.Append("    status: ").Append(g.Status.ToString().ToLowerInvariant()).Append('\n');
            text.Append("    exhaustive: ").Append(g.Group.Exhaustive ? "true" : "false").Append('\n');
            text.Append("    approved_by: ").Append(YamlText.Quote(g.ApprovedBy ?? "")).Append('\n');
            text.Append("    approved_at: ").Append(YamlText.Quote(g.ApprovedAt ?? "")).Append('\n');
            text.Append("    outcomes:\n");
            foreach (PairConfig outcome in g.Outcomes)
            {
                text.Append("      - event: ").Append(YamlText.Quote(outcome.EventId)).Append('\n');
                text.Append("        legs:\n");
                foreach (PairLegConfig leg in outcome.Legs)
                {
                    text.Append("          ").Append(leg.Venue).Append(": ").Append(YamlText.Leg(leg)).Append('\n');
                }
            }

            YamlText.List("    ", "evidence", g.Evidence, text);
            YamlText.List("    ", "flags", g.Flags, text);
            YamlText.List("    ", "mismatches", g.Mismatches, text);
        }

        return text.ToString();
    }
}
