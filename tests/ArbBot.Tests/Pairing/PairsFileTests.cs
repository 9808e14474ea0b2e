using ArbBot.Engine.Configuration;
using ArbBot.Engine.Pairing;

namespace ArbBot.Tests.Pairing;

/// <summary>The reviewed pairs file: written and read back unchanged, reviews kept across new proposals, approvals checked.</summary>
public sealed class PairsFileTests
{
    private static readonly string[] s_venues = ["kalshi", "polymarket"];

    [Fact]
    public void A_file_reads_back_exactly_as_written()
    {
        IReadOnlyList<ReviewedPair> pairs =
        [
            Pair("NBA-1", "K-1", "0xa", "11", "12", PairStatus.Approved, by: "alice", flags: ["rules: \"quoted\" text"]),
            Pair("NBA-2", "K-2", "0xb", "21", "22", PairStatus.Rejected, mismatches: ["date: differs"]),
            Pair("NBA-3", "K-3", "0xc", "31", "32", PairStatus.Proposed),
        ];
        string text = PairsFile.Format(pairs);
        IReadOnlyList<ReviewedPair> read = PairsFile.Parse(text, "pairs.yaml", s_venues);
        Assert.Equal(text, PairsFile.Format(read));
        Assert.Equal(pairs.Select(p => (p.Pair.EventId, p.Status, p.ApprovedBy, p.LegsKey)), read.Select(p => (p.Pair.EventId, p.Status, p.ApprovedBy, p.LegsKey)));
        Assert.Equal("rules: \"quoted\" text", read[0].Flags.Single());
        Assert.Equal("pairs.yaml", read[0].Pair.SourceFile);
    }

    [Theory]
    [InlineData("status: approved\n    approved_by: \"\"", "approved_by is empty: name who reviewed pair E1")]
    [InlineData("status: approved\n    approved_by: bob\n    mismatches: [\"kind: spread vs moneyline\"]", "has mismatches (kind: spread vs moneyline)")]
    [InlineData("status: maybe", "status must be proposed, approved or rejected, was \"maybe\"")]
    [InlineData("status: proposed\n    colour: red", "unknown key pairs[0].colour")]
    [InlineData("status: proposed\n    score: 140", "score")]
    public void A_bad_entry_is_refused_naming_the_file_and_line(string fields, string expected)
    {
        string yaml = $"pairs:\n  - event: E1\n    {fields}\n    legs:\n      kalshi: K-1\n      polymarket: {{ market: \"0xa\", yes: \"1\", no: \"2\" }}\n";
        ConfigException error = Assert.Throws<ConfigException>(() => PairsFile.Parse(yaml, "pairs.yaml", s_venues));
        Assert.Contains(expected, error.Message);
        Assert.Matches(@"^pairs\.yaml:[3-9]:", error.Message);
    }

    [Fact]
    public void A_leg_on_a_venue_the_config_does_not_have_is_refused()
    {
        const string yaml = "pairs:\n  - event: E1\n    legs:\n      kalshi: K-1\n      betfair: B-1\n";
        ConfigException error = Assert.Throws<ConfigException>(() => PairsFile.Parse(yaml, "pairs.yaml", s_venues));
        Assert.Equal("pairs.yaml:5: pairs[0].legs.betfair: no venue named \"betfair\" (configured venues: kalshi, polymarket)", error.Message);
    }

    [Fact]
    public void Merging_a_new_proposal_keeps_every_review_already_made()
    {
        IReadOnlyList<ReviewedPair> existing =
        [
            Pair("MY-NAME", "K-1", "0xa", "11", "12", PairStatus.Approved, by: "alice"),
            Pair("TURNED-DOWN", "K-2", "0xb", "21", "22", PairStatus.Rejected),
            Pair("HAND-WRITTEN", "K-9", "0xz", "91", "92", PairStatus.Approved, by: "carol"),
        ];
        IReadOnlyList<ReviewedPair> proposed =
        [
            Pair("NBA-1", "K-1", "0xa", "11", "12", PairStatus.Proposed, score: 90),
            Pair("NBA-2", "K-2", "0xb", "21", "22", PairStatus.Proposed),
            Pair("MY-NAME", "K-3", "0xc", "31", "32", PairStatus.Proposed),
        ];
        IReadOnlyList<ReviewedPair> merged = PairsFile.Merge(existing, proposed);
        Assert.Equal(["MY-NAME", "TURNED-DOWN", "HAND-WRITTEN", "MY-NAME-2"], merged.Select(p => p.Pair.EventId));
        Assert.Equal((PairStatus.Approved, "alice", 90), (merged[0].Status, merged[0].ApprovedBy, merged[0].Score)); // kept, with the new score
        Assert.Equal(PairStatus.Rejected, merged[1].Status);
        Assert.Equal("carol", merged[2].ApprovedBy);
        Assert.Equal(PairStatus.Proposed, merged[3].Status);
    }

    [Fact]
    public void An_approved_pair_that_now_shows_a_mismatch_is_rejected_on_merge()
    {
        IReadOnlyList<ReviewedPair> merged = PairsFile.Merge(
            [Pair("NBA-1", "K-1", "0xa", "11", "12", PairStatus.Approved, by: "alice")],
            [Pair("NBA-1", "K-1", "0xa", "11", "12", PairStatus.Rejected, mismatches: ["date: the game moved"])]);
        Assert.Equal((PairStatus.Rejected, (string?)null), (merged[0].Status, merged[0].ApprovedBy));
    }

    [Fact]
    public void Approving_records_who_and_when_and_refuses_mismatched_or_unknown_pairs()
    {
        IReadOnlyList<ReviewedPair> pairs =
        [
            Pair("NBA-1", "K-1", "0xa", "11", "12", PairStatus.Proposed),
            Pair("NBA-2", "K-2", "0xb", "21", "22", PairStatus.Rejected, mismatches: ["kind: spread vs moneyline"]),
        ];
        IReadOnlyList<ReviewedPair> approved = PairsFile.Approve(pairs, ["NBA-1"], "alice", new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
        Assert.Equal((PairStatus.Approved, "alice", "2026-11-22T12:00:00Z"), (approved[0].Status, approved[0].ApprovedBy, approved[0].ApprovedAt));
        Assert.Equal(PairStatus.Rejected, approved[1].Status);
        Assert.Contains("cannot be approved", Assert.Throws<ArgumentException>(() => PairsFile.Approve(pairs, ["NBA-2"], "alice", DateTimeOffset.UtcNow)).Message);
        Assert.Contains("no pair NBA-9", Assert.Throws<ArgumentException>(() => PairsFile.Approve(pairs, ["NBA-9"], "alice", DateTimeOffset.UtcNow)).Message);
    }

    [Fact]
    public void Saving_replaces_the_file_whole()
    {
        string path = Path.Combine(Path.GetTempPath(), "arbbot-pairs-" + Guid.NewGuid().ToString("N"), "pairs.yaml");
        PairsFile.Save(path, [Pair("NBA-1", "K-1", "0xa", "11", "12", PairStatus.Proposed)]);
        PairsFile.Save(path, [Pair("NBA-2", "K-2", "0xb", "21", "22", PairStatus.Proposed)]);
        Assert.Equal("NBA-2", PairsFile.Load(path, s_venues).Single().Pair.EventId);
        Assert.False(File.Exists(path + ".tmp"));
    }

    private static ReviewedPair Pair(
        string eventId, string kalshi, string condition, string yes, string no, PairStatus status,
        string? by = null, IReadOnlyList<string>? flags = null, IReadOnlyList<string>? mismatches = null, int? score = null) =>
        new(
            new PairConfig(eventId, [new PairLegConfig("kalshi", kalshi, null, null, 0), new PairLegConfig("polymarket", condition, yes, no, 0)], 0),
            status,
            score,
            by,
            by is null ? null : "2026-11-22T10:00:00Z",
            ["teams: evidence"],
            flags ?? [],
            mismatches ?? []);
}
