using ArbBot.Engine.Pairing;
using ArbBot.IntegrationTests.Support;

namespace ArbBot.IntegrationTests.EndToEnd;

/// <summary>
/// Outcome groups from discovery to trading, as processes, against the fake Kalshi and Polymarket
/// servers serving the sample slate (tests/fixtures/pairing): `arbbot markets groups` proposes
/// groups from each venue's own event data (Kalshi's mutually_exclusive, Polymarket's neg-risk
/// markets) into the groups file, `arbbot markets approve` records the review (and whether it is
/// exhaustive), and a running engine picks up every approval.
/// </summary>
public sealed class GroupingFlowTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Propose_review_and_run_with_the_groups_file_reloaded_while_running()
    {
        await using FakeSlate slate = await FakeSlate.StartAsync("grouping", kalshi =>
        {
            kalshi.MutuallyExclusiveEvents["KXEPLGAME-26NOV22CHEARS"] = true;
            kalshi.MutuallyExclusiveEvents["KXNBAGAME-26NOV22LALBOS"] = false; // as if the venue said two teams could both win
        });
        string dir = slate.Directory;
        string config = slate.WriteConfig("grouping.yaml", yaml => yaml.Replace("pairs_file: pairs-fake.yaml", "groups_file: groups.yaml", StringComparison.Ordinal));
        string groupsFile = Path.Combine(dir, "groups.yaml");
        string[] venues = ["kalshi", "polymarket"];

        // Kalshi's three-way game: the venue marks it mutually exclusive; proposed for review, not exhaustive.
        (int code, string stdout, string stderr) = await ArbBotProcess.RunAsync(dir, Generous, "markets", "groups", "--config", config, "--venue", "kalshi", "--event", "KXEPLGAME-26NOV22CHEARS");
        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        Assert.Contains($"wrote 1 groups to {groupsFile} (0 approved, 1 to review, 0 rejected)", stdout);
        ReviewedGroup epl = Assert.Single(GroupsFile.Load(groupsFile, venues));
        Assert.Equal(("KXEPLGAME-26NOV22CHEARS", PairStatus.Proposed, false), (epl.Group.EventId, epl.Status, epl.Group.Exhaustive));
        Assert.Equal(["KXEPLGAME-26NOV22CHEARS-ARS", "KXEPLGAME-26NOV22CHEARS-CHE", "KXEPLGAME-26NOV22CHEARS-TIE"], epl.Outcomes.Select(o => o.EventId).Order(StringComparer.Ordinal));
        Assert.Contains(epl.Evidence, e => e.Contains("marks the event's markets mutually exclusive", StringComparison.Ordinal));

        // A game the venue says is not exclusive is written as rejected, with why; the review above is kept.
        (code, stdout, stderr) = await ArbBotProcess.RunAsync(dir, Generous, "markets", "groups", "--config", config, "--venue", "kalshi", "--event", "KXNBAGAME-26NOV22LALBOS");
        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        Assert.Contains($"wrote 2 groups to {groupsFile} (0 approved, 1 to review, 1 rejected)", stdout);

        // Polymarket's neg-risk game: its three markets exclude each other.
        (code, stdout, stderr) = await ArbBotProcess.RunAsync(dir, Generous, "markets", "groups", "--config", config, "--venue", "polymarket", "--event", "epl-ars-che-2026-11-22");
        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        ReviewedGroup polyGroup = GroupsFile.Load(groupsFile, venues).Single(g => g.Group.EventId == "epl-ars-che-2026-11-22");
        Assert.Equal(3, polyGroup.Outcomes.Count);
        Assert.All(polyGroup.Outcomes, o => Assert.Equal("polymarket", Assert.Single(o.Legs).Venue));
        Assert.Contains(polyGroup.Evidence, e => e.Contains("neg-risk event", StringComparison.Ordinal));

        // Review: the rejected one cannot be approved; the Kalshi game is approved as exhaustive (a draw, a win or a loss).
        (code, _, stderr) = await ArbBotProcess.RunAsync(dir, Generous, "markets", "approve", "--config", config, "--by", "alice", "KXNBAGAME-26NOV22LALBOS");
        Assert.NotEqual(0, code);
        Assert.Contains("group KXNBAGAME-26NOV22LALBOS has mismatches (kalshi does not mark the event's markets mutually exclusive", stderr);
        (code, stdout, stderr) = await ArbBotProcess.RunAsync(dir, Generous, "markets", "approve", "--config", config, "--by", "alice", "--exhaustive", "KXEPLGAME-26NOV22CHEARS");
        Assert.True(code == 0, stderr);
        Assert.Contains("approved group KXEPLGAME-26NOV22CHEARS as exhaustive", stdout);
        epl = GroupsFile.Load(groupsFile, venues).Single(g => g.Group.EventId == "KXEPLGAME-26NOV22CHEARS");
        Assert.Equal((PairStatus.Approved, true, "alice"), (epl.Status, epl.Group.Exhaustive, epl.ApprovedBy));

        // Run: the approved group trades (its three outcomes are pairs); the others do not.
        using ArbBotProcess run = ArbBotProcess.Start(dir, "run", "--config", config, "--duration", "90s", "--no-watch-plugins", "--no-watch-strategies");
        Assert.True(await run.WaitForErrorOutputAsync("running 2 venues, 3 pairs, 1 groups", Generous), run.StandardError);

        // A hand edit marking a group exhaustive without approving it is refused, naming the file and line; the engine goes on.
        string good = File.ReadAllText(groupsFile);
        File.WriteAllText(groupsFile, good.Replace("status: proposed\n    exhaustive: false", "status: proposed\n    exhaustive: true", StringComparison.Ordinal));
        Assert.True(await run.WaitForErrorOutputAsync("groups file change not taken: " + groupsFile + ":", Generous), run.StandardError);
        Assert.Contains("is true but group", run.StandardError);
        File.WriteAllText(groupsFile, good);

        // Another approval while running: the engine restarts its venues with both groups.
        (code, _, stderr) = await ArbBotProcess.RunAsync(dir, Generous, "markets", "approve", "--config", config, "--by", "bob", "epl-ars-che-2026-11-22");
        Assert.True(code == 0, stderr);
        Assert.True(await run.WaitForErrorOutputAsync("running 2 venues, 6 pairs, 2 groups (groups file reloaded)", Generous), run.StandardError);
        Assert.Contains("groups file changed: added [", run.StandardError);
        Assert.Contains("group epl-ars-che-2026-11-22]", run.StandardError);

        run.Interrupt();
        Assert.Equal(0, await run.WaitForExitAsync(Generous));
        Assert.Equal(0, slate.Kalshi.OrdersReceived); // paper mode
    }
}
