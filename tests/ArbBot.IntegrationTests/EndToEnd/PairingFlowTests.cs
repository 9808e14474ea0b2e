using ArbBot.Engine.Pairing;
using ArbBot.FakeVenues.Kalshi;
using ArbBot.IntegrationTests.Support;

namespace ArbBot.IntegrationTests.EndToEnd;

/// <summary>
/// The README's discover -> pair -> review -> run flow, as processes, against the fake Kalshi and
/// Polymarket servers serving the sample sports slate (tests/fixtures/pairing): the plugins list
/// the markets, `arbbot markets pair` writes the pairs file, `arbbot markets approve` records the
/// review, and a running engine picks up every approval in place, subscribing and unsubscribing
/// only the markets that changed (and refuses a bad edit without stopping).
/// </summary>
public sealed class PairingFlowTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Discover_pair_review_and_run_with_the_pairs_file_reloaded_while_running()
    {
        await using FakeSlate slate = await FakeSlate.StartAsync("pairing");
        string dir = slate.Directory;
        FakeKalshiServer kalshi = slate.Kalshi;
        // No trades: a pair holding a position is taken out by a restart (its own test), and whether the fake books offer an
        // edge before the pair is taken out depends on how busy the machine is.
        string config = slate.WriteConfig("pairing.yaml", yaml => yaml.Replace("min_edge_usd: \"0.05\"", "min_edge_usd: \"1000000\"", StringComparison.Ordinal));
        Assert.Contains("min_edge_usd: \"1000000\"", File.ReadAllText(config));
        string pairsFile = Path.Combine(dir, "pairs-fake.yaml");

        // One league only, without writing anything.
        (int code, string stdout, string stderr) = await ArbBotProcess.RunAsync(dir, Generous, "markets", "pair", "--config", config, "--from", "kalshi", "--to", "polymarket", "--sport", "epl", "--dry-run");
        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        Assert.Contains("EPL-2026-11-22-ARS-CHE-DRAW", stdout);
        Assert.DoesNotContain("NBA-", stdout);
        Assert.False(File.Exists(pairsFile));

        // Pair: both venues listed through their plugins; proposals and traps written for review.
        (code, stdout, stderr) = await ArbBotProcess.RunAsync(dir, Generous, "markets", "pair", "--config", config, "--from", "kalshi", "--to", "polymarket");
        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        Assert.Contains($"wrote 9 pairs to {pairsFile} (0 approved, 6 to review, 3 rejected)", stdout);
        IReadOnlyList<ReviewedPair> written = PairsFile.Load(pairsFile, ["kalshi", "polymarket"]);
        Assert.Equal(6, written.Count(p => p.Status == PairStatus.Proposed));
        Assert.Contains(written, p => p.Pair.EventId == "NBA-2026-11-22-DAL-PHX" && p.Status == PairStatus.Rejected);

        // Review: a trap cannot be approved; a good pair can.
        (code, _, stderr) = await ArbBotProcess.RunAsync(dir, Generous, "markets", "approve", "--config", config, "--by", "alice", "NBA-2026-11-22-DAL-PHX");
        Assert.NotEqual(0, code);
        Assert.Contains("NBA-2026-11-22-DAL-PHX has mismatches (date: kalshi's game is on 2026-11-22, polymarket's on 2026-11-24)", stderr);
        (code, stdout, stderr) = await ArbBotProcess.RunAsync(dir, Generous, "markets", "approve", "--config", config, "--by", "alice", "NBA-2026-11-22-BOS-LAL");
        Assert.True(code == 0, stderr);
        ReviewedPair approved = PairsFile.Load(pairsFile, ["kalshi", "polymarket"]).Single(p => p.Status == PairStatus.Approved);
        Assert.Equal(("NBA-2026-11-22-BOS-LAL", "alice"), (approved.Pair.EventId, approved.ApprovedBy));

        // Run: only the approved pair trades. Its books are mirrored into a Redis of the test's own, where their epochs can be read.
        using RedisServer redis = RedisServer.StartNew();
        string yaml = File.ReadAllText(config);
        Assert.Contains("redis:\n  enabled: false\n  key_prefix: arb\n", yaml);
        File.WriteAllText(config, yaml.Replace("redis:\n  enabled: false\n  key_prefix: arb\n", $"redis:\n  enabled: true\n  connection: {redis.Connection}\n  key_prefix: arbpairs\n", StringComparison.Ordinal));
        using StackExchange.Redis.ConnectionMultiplexer client = redis.Client();
        StackExchange.Redis.IDatabase db = client.GetDatabase();
        using ArbBotProcess run = ArbBotProcess.Start(dir, "run", "--config", config, "--duration", "150s", "--no-watch-plugins", "--no-watch-strategies");
        Assert.True(await run.WaitForErrorOutputAsync("running 2 venues, 1 pairs", Generous), run.StandardError);
        string[] first = approved.Pair.Legs.Select(l => $"arbpairs:book:{l.Venue}:{l.Market}:yes").ToArray();
        Assert.True(await Eventually(() => first.All(k => db.HashGet(k, "stale") == "0")), "the first pair's books never showed live in Redis\n" + run.StandardError);
        string[] epochs = first.Select(k => (string)db.HashGet(k, "epoch")!).ToArray();
        int kalshiConnections = kalshi.ConnectionsAccepted;

        // A bad edit is refused, naming the file and line, and the engine goes on with what it had.
        string good = File.ReadAllText(pairsFile);
        string bad = good.Replace("status: proposed", "status: approved");
        File.WriteAllText(pairsFile, bad);
        Assert.True(await run.WaitForErrorOutputAsync("pairs file change not taken: " + pairsFile + ":", Generous), run.StandardError);
        Assert.Contains("approved_by is empty", run.StandardError);
        File.WriteAllText(pairsFile, good);

        // Another approval while running: its markets are subscribed in place; the first pair's books keep their epoch and
        // Kalshi's connection stays (no reconnect, no resubscription of what was there).
        (code, _, stderr) = await ArbBotProcess.RunAsync(dir, Generous, "markets", "approve", "--config", config, "--by", "bob", "NBA-2026-11-22-MIA-NYK");
        Assert.True(code == 0, stderr);
        Assert.True(await run.WaitForErrorOutputAsync("running 2 venues, 2 pairs (pairs file applied in place: added [NBA-2026-11-22-MIA-NYK], removed []; 2 markets subscribed, 0 unsubscribed)", Generous), run.StandardError);
        Assert.Contains("pairs file changed: added [NBA-2026-11-22-MIA-NYK], removed []", run.StandardError);
        await WaitForBooksAsync(run, "books 4, stale 0");
        ReviewedPair second = PairsFile.Load(pairsFile, ["kalshi", "polymarket"]).Single(p => p.Pair.EventId == "NBA-2026-11-22-MIA-NYK");
        string[] added = second.Pair.Legs.Select(l => $"arbpairs:book:{l.Venue}:{l.Market}:yes").ToArray();
        Assert.True(await Eventually(() => added.All(k => db.HashGet(k, "stale") == "0")), "the added pair's books never showed live in Redis\n" + run.StandardError);
        Assert.Equal(epochs, first.Select(k => (string)db.HashGet(k, "epoch")!).ToArray());
        Assert.Equal(kalshiConnections, kalshi.ConnectionsAccepted);

        // The first pair taken back out of review: its markets are unsubscribed (Kalshi's delete_markets), its books go
        // stale in Redis, and the other pair's books keep their epoch.
        string[] addedEpochs = added.Select(k => (string)db.HashGet(k, "epoch")!).ToArray();
        PairsFile.Save(pairsFile, PairsFile.Load(pairsFile, ["kalshi", "polymarket"])
            .Select(p => p.Pair.EventId == approved.Pair.EventId ? p with { Status = PairStatus.Proposed, ApprovedBy = null, ApprovedAt = null } : p).ToList());
        Assert.True(await run.WaitForErrorOutputAsync("running 2 venues, 1 pairs (pairs file applied in place: added [], removed [NBA-2026-11-22-BOS-LAL]; 0 markets subscribed, 2 unsubscribed)", Generous), run.StandardError);
        Assert.True(await Eventually(() => kalshi.DeletedMarkets >= 1), "Kalshi was not asked to delete the market");
        Assert.True(await Eventually(() => first.All(k => db.HashGet(k, "stale") == "1")), "the removed pair's books did not go stale in Redis");
        await WaitForBooksAsync(run, "books 2, stale 0");
        Assert.Equal(addedEpochs, added.Select(k => (string)db.HashGet(k, "epoch")!).ToArray());
        Assert.Equal(kalshiConnections, kalshi.ConnectionsAccepted);

        run.Interrupt();
        Assert.Equal(0, await run.WaitForExitAsync(Generous));
        string last = run.StandardOutput.TrimEnd().Split('\n')[^1];
        Assert.Contains("books 2, stale 0", last);
        Assert.Equal(0, kalshi.OrdersReceived); // paper mode
    }

    private static async Task<bool> Eventually(Func<bool> condition)
    {
        DateTime deadline = DateTime.UtcNow + Generous;
        while (DateTime.UtcNow < deadline)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return condition();
    }

    /// <summary>Waits for a summary line (printed every few seconds when not on a terminal) showing the books.</summary>
    private static async Task WaitForBooksAsync(ArbBotProcess run, string text)
    {
        DateTime deadline = DateTime.UtcNow + Generous;
        int seen = run.StandardOutput.Length;
        while (DateTime.UtcNow < deadline && !run.StandardOutput[Math.Min(seen, run.StandardOutput.Length)..].Contains(text, StringComparison.Ordinal))
        {
            await Task.Delay(100);
        }

        Assert.Contains(text, run.StandardOutput[seen..]);
    }
}
