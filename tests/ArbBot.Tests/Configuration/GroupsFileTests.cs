using ArbBot.Abstractions.Discovery;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Pairing;

namespace ArbBot.Tests.Configuration;

/// <summary>The reviewed groups file: proposals from venue event data, review rules, merging, and what the config takes from it.</summary>
public sealed class GroupsFileTests
{
    private static readonly string[] s_venues = ["kalshi", "polymarket"];

    [Fact]
    public void Proposals_come_from_events_the_venue_calls_exclusive_with_what_to_check_before_calling_them_exhaustive()
    {
        ListedMarket[] markets =
        [
            Kalshi("FED-25DEC-H0", "FED-25DEC", "Hold", exclusive: true),
            Kalshi("FED-25DEC-C25", "FED-25DEC", "Cut 25bp", exclusive: true),
            Kalshi("FED-25DEC-OTHER", "FED-25DEC", "Other", exclusive: true),
            Kalshi("RAIN-1", "RAIN", "Rain over 1in", exclusive: false),
            Kalshi("RAIN-2", "RAIN", "Rain over 2in", exclusive: false),
            Kalshi("ALONE-1", "ALONE", "The only market", exclusive: true),
            Poly("0xaa", "nominee-2028", "Newsom", catchAll: false, augmented: true),
            Poly("0xbb", "nominee-2028", "Other", catchAll: true, augmented: true),
        ];

        IReadOnlyList<ReviewedGroup> groups = GroupProposer.Propose("kalshi", markets.Take(6).ToList())
            .Concat(GroupProposer.Propose("polymarket", markets.Skip(6).ToList())).ToList();

        Assert.Equal(["FED-25DEC", "RAIN", "nominee-2028"], groups.Select(g => g.Group.EventId)); // one market alone is no group
        ReviewedGroup fed = groups[0];
        Assert.Equal((PairStatus.Proposed, false), (fed.Status, fed.Group.Exhaustive));
        Assert.Equal(["FED-25DEC-C25", "FED-25DEC-H0", "FED-25DEC-OTHER"], fed.Group.Outcomes);
        Assert.Contains(fed.Evidence, e => e.Contains("marks the event's markets mutually exclusive", StringComparison.Ordinal));
        Assert.Contains(fed.Flags, f => f.StartsWith("\"Other\" is a catch-all outcome", StringComparison.Ordinal));
        Assert.Empty(fed.Mismatches);

        ReviewedGroup rain = groups[1];
        Assert.Equal(PairStatus.Rejected, rain.Status);
        Assert.Contains("does not mark the event's markets mutually exclusive", Assert.Single(rain.Mismatches), StringComparison.Ordinal);

        ReviewedGroup nominee = groups[2];
        Assert.Equal(["nominee-2028-Newsom", "nominee-2028-Other"], nominee.Group.Outcomes);
        Assert.Equal(("0xaa", "0xaa-yes", "0xaa-no"), (nominee.Outcomes[0].Legs[0].Market, nominee.Outcomes[0].Legs[0].YesId, nominee.Outcomes[0].Legs[0].NoId));
        Assert.Contains(nominee.Evidence, e => e.Contains("neg-risk event", StringComparison.Ordinal));
        Assert.Contains(nominee.Flags, f => f.Contains("may add outcomes to this event later", StringComparison.Ordinal));
        Assert.Contains(nominee.Flags, f => f.StartsWith("\"Other\" is a catch-all", StringComparison.Ordinal));
    }

    [Fact]
    public void The_file_reads_back_what_was_written_and_a_merge_keeps_the_review()
    {
        IReadOnlyList<ReviewedGroup> proposed = GroupProposer.Propose("kalshi",
            [Kalshi("FED-H0", "FED", "Hold", true), Kalshi("FED-C25", "FED", "Cut", true), Kalshi("X-1", "X", "a \"quoted\" one", null), Kalshi("X-2", "X", "b", null)]);
        IReadOnlyList<ReviewedGroup> approved = GroupsFile.Approve(proposed, ["FED"], "alice", exhaustive: true, DateTimeOffset.Parse("2026-12-07T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

        string text = GroupsFile.Format(approved);
        IReadOnlyList<ReviewedGroup> read = GroupsFile.Parse(text, "groups.yaml", s_venues);
        Assert.Equal(approved.Select(Describe), read.Select(Describe));
        Assert.Equal((PairStatus.Approved, true, "alice", "2026-12-07T10:00:00Z"), (read[0].Status, read[0].Group.Exhaustive, read[0].ApprovedBy, read[0].ApprovedAt));
        Assert.Contains(read[1].Flags, f => f.Contains("does not say whether the markets exclude each other", StringComparison.Ordinal));

        // Proposed again (new evidence): the approval and its id stay; a group the venue now calls not exclusive loses it.
        IReadOnlyList<ReviewedGroup> again = GroupProposer.Propose("kalshi",
            [Kalshi("FED-H0", "FED", "Hold", true), Kalshi("FED-C25", "FED", "Cut", true), Kalshi("NEW-1", "NEW", "n1", true), Kalshi("NEW-2", "NEW", "n2", true)]);
        IReadOnlyList<ReviewedGroup> merged = GroupsFile.Merge(read, again);
        Assert.Equal(["FED", "X", "NEW"], merged.Select(g => g.Group.EventId));
        Assert.Equal((PairStatus.Approved, true, "alice"), (merged[0].Status, merged[0].Group.Exhaustive, merged[0].ApprovedBy));
        IReadOnlyList<ReviewedGroup> turned = GroupsFile.Merge(read, GroupProposer.Propose("kalshi", [Kalshi("FED-H0", "FED", "Hold", false), Kalshi("FED-C25", "FED", "Cut", false)]));
        Assert.Equal((PairStatus.Rejected, false, (string?)null), (turned[0].Status, turned[0].Group.Exhaustive, turned[0].ApprovedBy));
    }

    [Theory]
    [InlineData("status: proposed\n    exhaustive: true", "groups.yaml:4: groups[0].exhaustive is true but group FED is not approved")]
    [InlineData("status: approved\n    exhaustive: false", "groups.yaml:3: groups[0].status is approved but approved_by is empty")]
    [InlineData("status: maybe\n    exhaustive: false", "groups.yaml:3: groups[0].status must be proposed, approved or rejected, was \"maybe\"")]
    public void A_bad_review_is_refused_naming_file_and_line(string statusLines, string expected)
    {
        string yaml = $"groups:\n  - event: FED\n    {statusLines}\n    outcomes:\n      - {{ event: FED-H0, legs: {{ kalshi: FED-H0 }} }}\n      - {{ event: FED-C25, legs: {{ kalshi: FED-C25 }} }}\n";
        ConfigException ex = Assert.Throws<ConfigException>(() => GroupsFile.Parse(yaml, "groups.yaml", s_venues));
        Assert.StartsWith(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_group_with_mismatches_or_one_outcome_cannot_be_approved()
    {
        const string Mismatched = "groups:\n  - event: R\n    status: approved\n    approved_by: bob\n    outcomes:\n      - { event: R1, legs: { kalshi: R1 } }\n      - { event: R2, legs: { kalshi: R2 } }\n    mismatches: [not exclusive]\n";
        Assert.Contains("group R has mismatches (not exclusive); it cannot be approved", Assert.Throws<ConfigException>(() => GroupsFile.Parse(Mismatched, "g.yaml", s_venues)).Message);
        const string One = "groups:\n  - event: R\n    outcomes:\n      - { event: R1, legs: { kalshi: R1 } }\n";
        Assert.Contains("groups[0].outcomes must list 2 to 32 outcomes", Assert.Throws<ConfigException>(() => GroupsFile.Parse(One, "g.yaml", s_venues)).Message);
        IReadOnlyList<ReviewedGroup> rejected = GroupProposer.Propose("kalshi", [Kalshi("R1", "R", "a", false), Kalshi("R2", "R", "b", false)]);
        Assert.Throws<ArgumentException>(() => GroupsFile.Approve(rejected, ["R"], "bob", false, DateTimeOffset.UtcNow));
    }

    [Fact]
    public void The_config_trades_the_approved_groups_of_its_groups_file_only()
    {
        string dir = Path.Combine(Path.GetTempPath(), "arbbot-groups-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        IReadOnlyList<ReviewedGroup> proposed = GroupProposer.Propose("kalshi",
            [Kalshi("FED-H0", "FED", "Hold", true), Kalshi("FED-C25", "FED", "Cut", true), Kalshi("ECB-H0", "ECB", "Hold", true), Kalshi("ECB-C25", "ECB", "Cut", true)]);
        GroupsFile.Save(Path.Combine(dir, "groups.yaml"), GroupsFile.Approve(proposed, ["FED"], "alice", exhaustive: true, DateTimeOffset.UtcNow));
        const string Venues = "venues:\n  - name: kalshi\n    plugin: p\n";

        ArbBotConfig config = ConfigLoader.Parse(Venues + "groups_file: groups.yaml\n", Path.Combine(dir, "arbbot.yaml"));
        GroupConfig fed = Assert.Single(config.Groups);
        Assert.Equal(("FED", true, 2), (fed.EventId, fed.Exhaustive, fed.Outcomes.Count));
        Assert.Equal(["FED-C25", "FED-H0"], config.Pairs.Select(p => p.EventId));
        Assert.Equal(Path.Combine(dir, "groups.yaml"), config.GroupsFile);

        // An outcome that is already a pair with other legs, and a group id that is a pair's event, are refused naming the groups file.
        ConfigException clash = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(
            Venues + "pairs:\n  - event: FED-H0\n    legs: { kalshi: SOMETHING-ELSE }\ngroups_file: groups.yaml\n", Path.Combine(dir, "arbbot.yaml")));
        Assert.Contains("groups.yaml:", clash.Message);
        Assert.Contains("outcome \"FED-H0\" is also a pair", clash.Message);
        ConfigException same = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(
            Venues + "pairs:\n  - event: FED\n    legs: { kalshi: FED-X }\ngroups_file: groups.yaml\n", Path.Combine(dir, "arbbot.yaml")));
        Assert.Contains("group \"FED\" is also an event", same.Message);
        ConfigException missing = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(Venues + "groups_file: nope.yaml\n", Path.Combine(dir, "arbbot.yaml")));
        Assert.Contains("arbbot.yaml:4: groups_file:", missing.Message);
        Assert.Contains("not found (write one with arbbot markets groups)", missing.Message);
    }

    private static string Describe(ReviewedGroup g) =>
        $"{g.Group.EventId} {g.Status} {g.Group.Exhaustive} {g.ApprovedBy} {g.ApprovedAt} [{g.LegsKey}] [{string.Join(",", g.Group.Outcomes)}] [{string.Join(",", g.Evidence)}] [{string.Join(",", g.Flags)}] [{string.Join(",", g.Mismatches)}]";

    private static ListedMarket Kalshi(string ticker, string eventId, string label, bool? exclusive) =>
        new(ticker, eventId, $"{label}?", label, label, "active", null, Price.Cent, null, "", "")
        {
            MutuallyExclusive = exclusive,
            OutcomeLabel = label,
        };

    private static ListedMarket Poly(string condition, string slug, string label, bool catchAll, bool augmented) =>
        new(condition, slug, $"Will {label} win?", "Yes", "No", "active", null, Price.Cent, null, "", "", condition + "-yes", condition + "-no")
        {
            NegRisk = true,
            MutuallyExclusive = true,
            OutcomeLabel = label,
            CatchAll = catchAll,
            OutcomesMayBeAdded = augmented,
        };
}
