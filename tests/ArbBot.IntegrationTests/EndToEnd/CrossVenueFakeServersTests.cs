using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ArbBot.FakeVenues.Kalshi;
using ArbBot.FakeVenues.Polymarket;
using ArbBot.IntegrationTests.Support;

namespace ArbBot.IntegrationTests.EndToEnd;

/// <summary>`arbbot run` on the shipped cross-venue example: the Kalshi and Polymarket plugin DLLs against their fake servers, the dutch book strategy across them.</summary>
public sealed partial class CrossVenueFakeServersTests
{
    [Fact]
    public async Task Arbbot_run_streams_kalshi_and_polymarket_books_and_runs_the_dutch_book_across_them()
    {
        await using var fakes = await CrossVenueFakes.StartAsync("cross-venue", "cross-venue-fake.yaml", trading: null);
        (string dir, string config, FakeKalshiServer kalshi) = (fakes.Directory, fakes.Config, fakes.Kalshi);
        // Run from elsewhere: the key file and the state db are relative to the config file, not to where arbbot runs.
        string elsewhere = TestPaths.NewTempDirectory("cross-venue-cwd");

        // Discovery gives the token ids the pairs need, YES by its outcome label (the fake lists "No" first for every other market).
        (int listed, string markets, string listError) = await ArbBotProcess.RunAsync(elsewhere, TimeSpan.FromSeconds(60), "markets", "list", "--config", config, "--venue", "polymarket", "--json");
        Assert.True(listed == 0, listError);
        using (var json = System.Text.Json.JsonDocument.Parse(markets.Trim().Split('\n')[^1]))
        {
            Assert.Equal(CrossVenueFakes.PolyMarkets.Select(m => $"{m.Item1} {m.Item2} {m.Item3}"), json.RootElement.EnumerateArray().Select(m => $"{m.GetProperty("market").GetString()} {m.GetProperty("yes_id").GetString()} {m.GetProperty("no_id").GetString()}"));
        }

        (int code, string stdout, string stderr) = await ArbBotProcess.RunUntilAsync(elsewhere, run => StreamedAndFound(run.LastOutputLine), TimeSpan.FromSeconds(120), "run", "--config", config, "--no-watch-plugins", "--no-watch-strategies");
        Assert.True(code == 0, $"exit {code}\nstdout:\n{stdout}\nstderr:\n{stderr}");
        string last = stdout.TrimEnd().Split('\n')[^1];
        Match line = SummaryLine().Match(last);
        Assert.True(line.Success, last);
        Assert.True(long.Parse(line.Groups["kalshi"].Value, CultureInfo.InvariantCulture) > 100 && long.Parse(line.Groups["poly"].Value, CultureInfo.InvariantCulture) > 100, last);
        Assert.Contains("books 8, stale 0", last);
        Match found = Regex.Match(last, @"opportunities dutch_book (?<n>\d+)");
        Assert.True(found.Success && long.Parse(found.Groups["n"].Value, CultureInfo.InvariantCulture) > 0, $"the fakes' books leave edges across the venues, but none was found: {last}");
        Assert.Contains("orders via kalshi paper (live books), polymarket paper (live books)", stdout);
        Assert.Equal(0, kalshi.OrdersReceived); // paper mode: nothing reaches a venue
        Assert.True(File.Exists(Path.Combine(dir, ".arbbot", "cross-venue-fake.db")));
    }

    [Fact]
    public async Task Arbbot_run_catches_a_polymarket_book_that_silently_drifted_by_the_tops_the_venue_sends_and_resyncs_it()
    {
        await using var fakes = await CrossVenueFakes.StartAsync("poly-drift", "cross-venue-fake.yaml", trading: null);

        // The venue loses a change that moves a top now and then: no gap shows (the market channel has
        // no sequence numbers); only the best_bid/best_ask of the changes that follow disagree.
        File.WriteAllText(fakes.Config, File.ReadAllText(fakes.Config).Replace(fakes.Poly.MarketChannelUrl, fakes.Poly.MarketChannelUrl + "?drift_every=100"));
        (int code, string stdout, string stderr) = await ArbBotProcess.RunUntilAsync(fakes.Directory, run => fakes.Poly.DriftedChanges > 0 && PolyResynced(run.LastOutputLine), TimeSpan.FromSeconds(120),
            "run", "--config", fakes.Config, "--no-watch-plugins", "--no-watch-strategies");
        Assert.True(code == 0, $"exit {code}\nstdout:\n{stdout}\nstderr:\n{stderr}");
        Assert.True(fakes.Poly.DriftedChanges > 0, "the fake lost no change");
        Assert.Matches(@"polymarket .* book drifted: the venue's last 3 changes said (YES|NO) [\d.]+ / [\d.]+, the book has", stderr);
        string last = stdout.TrimEnd().Split('\n')[^1];
        Assert.True(PolyResynced(last), last); // a drift caught, and each drifted book put right by a fresh one
    }

    [Fact]
    public async Task Arbbot_run_trades_live_on_both_fakes_with_every_order_signature_checked()
    {
        (FakeClobAccount account, string polyKey) = FakeClobSignatures.NewFakeAccount();
        await using var fakes = await CrossVenueFakes.StartAsync("cross-venue-live", "cross-venue-live-fake.yaml", (account, polyKey));
        (string dir, string config, FakeKalshiServer kalshi, FakePolymarketServer poly) = (fakes.Directory, fakes.Config, fakes.Kalshi, fakes.Poly);
        (int code, string stdout, string stderr) = await ArbBotProcess.RunUntilAsync(dir, run => kalshi.OrdersReceived > 0 && poly.OrdersAccepted > 0 && Regex.IsMatch(run.LastOutputLine, @"fills [1-9]"), TimeSpan.FromSeconds(120),
            "run", "--config", config, "--no-watch-plugins", "--no-watch-strategies");
        Assert.True(code == 0, $"exit {code}\nstdout:\n{stdout}\nstderr:\n{stderr}");
        Assert.Contains("orders via kalshi=live, polymarket=live", stderr);
        Assert.Contains($"trading as {account.Address}", stderr);
        Assert.True(kalshi.OrdersReceived > 0 && poly.OrdersAccepted > 0, $"orders: kalshi {kalshi.OrdersReceived}, polymarket {poly.OrdersAccepted}\n{stdout}\n{stderr}");
        Assert.Equal(0, poly.Refused); // every Polymarket order and request was signed right
        string last = stdout.TrimEnd().Split('\n')[^1];
        Assert.Matches(@"fills [1-9]", last);
    }

    [Fact]
    public async Task A_resting_polymarket_quote_is_cancelled_by_the_venue_when_the_engine_dies_and_its_heartbeats_stop()
    {
        (FakeClobAccount account, string polyKey) = FakeClobSignatures.NewFakeAccount();
        await using var fakes = await CrossVenueFakes.StartAsync("dead-man", "cross-venue-live-fake.yaml", (account, polyKey));
        fakes.Poly.HeartbeatTimeout = TimeSpan.FromSeconds(2);
        string strategy = Path.Combine(fakes.Directory, "rest_one_quote.csx");
        File.WriteAllText(strategy, RestOneQuote);
        string yaml = Regex.Replace(File.ReadAllText(fakes.Config), @"strategies:.*?(?=\nexecution:)", $"strategies:\n  - file: {strategy}\n", RegexOptions.Singleline)
            .Replace("private_key_file: poly.key", "private_key_file: poly.key\n      heartbeat_interval_ms: \"300\"", StringComparison.Ordinal);
        File.WriteAllText(fakes.Config, yaml);

        using ArbBotProcess engine = ArbBotProcess.Start(fakes.Directory, "run", "--config", fakes.Config, "--no-watch-plugins", "--no-watch-strategies");
        bool resting = await EngineFixture.WaitUntil(() => Task.FromResult(fakes.Poly.OrdersResting > 0 && fakes.Poly.HeartbeatsReceived >= 2), TimeSpan.FromSeconds(90));
        Assert.True(resting, $"no quote rested with heartbeats going: resting {fakes.Poly.OrdersResting}, heartbeats {fakes.Poly.HeartbeatsReceived}\n{engine.StandardError}");
        Assert.Equal(0, fakes.Poly.OrdersCancelledByDeadMan); // the heartbeats keep it alive while the engine runs

        engine.KillHard(); // kill -9: the engine cancels nothing
        bool cancelled = await EngineFixture.WaitUntil(() => Task.FromResult(fakes.Poly.OrdersCancelledByDeadMan >= 1), TimeSpan.FromSeconds(60));
        Assert.True(cancelled, $"the quote still rests after the heartbeats stopped (resting {fakes.Poly.OrdersResting})");
        Assert.Equal(0, fakes.Poly.OrdersResting);
        Assert.Equal(0, fakes.Poly.Refused); // every heartbeat was signed right
    }

    [Fact]
    public async Task New_polymarket_orders_wait_while_the_heartbeat_fails_and_go_again_once_it_is_acknowledged()
    {
        (FakeClobAccount account, string polyKey) = FakeClobSignatures.NewFakeAccount();
        await using var fakes = await CrossVenueFakes.StartAsync("dead-man-fail-closed", "cross-venue-live-fake.yaml", (account, polyKey));
        fakes.Poly.FailHeartbeats = true;
        string strategy = Path.Combine(fakes.Directory, "rest_one_quote.csx");
        File.WriteAllText(strategy, RestOneQuote);
        string yaml = Regex.Replace(File.ReadAllText(fakes.Config), @"strategies:.*?(?=\nexecution:)", $"strategies:\n  - file: {strategy}\n", RegexOptions.Singleline)
            .Replace("private_key_file: poly.key", "private_key_file: poly.key\n      heartbeat_interval_ms: \"300\"", StringComparison.Ordinal)
            + "\nrisk:\n  breaker_cooldown: 500ms   # the refused orders open the breaker; let it close soon after\n";
        File.WriteAllText(fakes.Config, yaml);

        using ArbBotProcess engine = ArbBotProcess.Start(fakes.Directory, "run", "--config", fakes.Config, "--no-watch-plugins", "--no-watch-strategies");
        Assert.True(await engine.WaitForErrorOutputAsync("the dead-man heartbeat is failing", TimeSpan.FromSeconds(90)), engine.StandardError);
        Assert.Equal(0, fakes.Poly.OrdersAccepted); // fail closed: nothing reached the venue

        fakes.Poly.FailHeartbeats = false;
        bool placed = await EngineFixture.WaitUntil(() => Task.FromResult(fakes.Poly.OrdersResting > 0), TimeSpan.FromSeconds(60));
        Assert.True(placed, $"no order after the heartbeat recovered\n{engine.StandardError}");
    }

    /// <summary>A strategy that rests one post-only buy of 5 YES at 0.01 on Polymarket (far under the fake's bids) and keeps it there.</summary>
    private const string RestOneQuote = """
        public sealed class RestOneQuote : IStrategy, IStrategyIntents
        {
            private bool _working;

            public void Initialize(IStrategySetup setup) { }

            public void OnBookUpdate(IStrategyContext context)
            {
                IBookView poly = context.Pair.Leg(1);
                if (_working || context.Pair.EventId != "FAKE-E01" || poly.IsStale)
                {
                    return;
                }

                _working = true;
                var quote = new OrderIntent(poly.Market, Outcome.Yes, OrderSide.Buy, Price.Parse("0.01"), Quantity.FromContracts(5), TimeInForce.GoodTillCancelled, PostOnly: true);
                context.Emit(IntentGroup.Single(quote, Money.Parse("1"), "rest one quote"));
            }

            public void OnIntentUpdate(in IntentGroupUpdate update, IStrategyContext context)
            {
                if (update.State != IntentGroupState.Accepted)
                {
                    _working = false; // refused or ended: rest it again on the next update
                }
            }
        }
        """;

    [Fact]
    public async Task Arbbot_record_keeps_both_venues_raw_frames_and_replay_decodes_them_through_the_plugins()
    {
        await using var fakes = await CrossVenueFakes.StartAsync("cross-venue-record", "cross-venue-fake.yaml", trading: null);
        string recording = Path.Combine(fakes.Directory, "session.arbrec");
        (int code, string stdout, string stderr) = await ArbBotProcess.RunUntilAsync(fakes.Directory, run => DeltasFromBoth(run.StandardOutput) > 1_200, TimeSpan.FromSeconds(120),
            "record", "--config", fakes.Config, "--out", recording);
        Assert.True(code == 0, $"exit {code}\nstdout:\n{stdout}\nstderr:\n{stderr}");
        string last = stdout.TrimEnd().Split('\n').Last(l => l.StartsWith('['));
        Match live = Regex.Match(last, @"opportunities dutch_book (?<n>\d+)");
        Assert.True(live.Success, last);

        // Raw frames as the venues sent them, per stream, with the connection marks.
        string jsonl = Path.Combine(fakes.Directory, "session.jsonl");
        (code, _, stderr) = await ArbBotProcess.RunAsync(fakes.Directory, TimeSpan.FromSeconds(60), "convert", recording, jsonl);
        Assert.True(code == 0, stderr);
        string[] lines = File.ReadAllLines(jsonl);
        Assert.Contains(lines, l => l.Contains("\"venue\":\"kalshi\",\"mark\":\"connected\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("\"venue\":\"kalshi\",\"frame\":{\"type\":\"orderbook_snapshot\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("\"venue\":\"kalshi\",\"frame\":{\"type\":\"orderbook_delta\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("\"venue\":\"polymarket\",\"frame\":", StringComparison.Ordinal) && l.Contains("price_change", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("\"delta\":{", StringComparison.Ordinal)); // frames, not decoded events

        (code, stdout, stderr) = await ArbBotProcess.RunAsync(fakes.Directory, TimeSpan.FromSeconds(120), "replay", recording, "--config", fakes.Config, "--report", Path.Combine(fakes.Directory, "report"), "--json");
        Assert.True(code == 0, $"exit {code}\n{stderr}");
        using JsonDocument report = JsonDocument.Parse(stdout);
        JsonElement root = report.RootElement;
        Assert.Empty(root.GetProperty("warnings").EnumerateArray()); // every frame parsed, both venues had records
        Assert.True(root.GetProperty("kernel_events").GetInt64() > 1_000, stdout[..200]);
        JsonElement dutch = root.GetProperty("strategies").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "dutch_book");
        Assert.True(dutch.GetProperty("calls").GetInt64() > 500, "the strategy ran on few book updates: the frames did not reach the books");
        Assert.Equal(long.Parse(live.Groups["n"].Value, CultureInfo.InvariantCulture), dutch.GetProperty("opportunities").GetInt64());
    }

    /// <summary>A summary line: over 100 deltas from each venue into 8 fresh books, and at least one dutch book found.</summary>
    private static bool StreamedAndFound(string line) =>
        SummaryLine().Match(line) is { Success: true } venues
        && long.Parse(venues.Groups["kalshi"].Value, CultureInfo.InvariantCulture) > 100 && long.Parse(venues.Groups["poly"].Value, CultureInfo.InvariantCulture) > 100
        && line.Contains("books 8, stale 0", StringComparison.Ordinal)
        && Regex.Match(line, @"opportunities dutch_book (?<n>\d+)") is { Success: true } found && long.Parse(found.Groups["n"].Value, CultureInfo.InvariantCulture) > 0;

    /// <summary>Deltas both venues streamed so far, by the last summary line; 0 before the first.</summary>
    private static long DeltasFromBoth(string stdout) =>
        stdout.Split('\n').LastOrDefault(l => l.StartsWith('[')) is { } last && SummaryLine().Match(last) is { Success: true } venues
            ? long.Parse(venues.Groups["kalshi"].Value, CultureInfo.InvariantCulture) + long.Parse(venues.Groups["poly"].Value, CultureInfo.InvariantCulture)
            : 0;

    /// <summary>A summary line: a Polymarket drift caught and all 8 books fresh.</summary>
    private static bool PolyResynced(string line) =>
        Regex.Match(line, @"polymarket connected \d+/s \(\d+ deltas, 0 stale[^)]*?(?<drifts>\d+) drifted\)") is { Success: true } poly
        && long.Parse(poly.Groups["drifts"].Value, CultureInfo.InvariantCulture) >= 1
        && line.Contains("books 8, stale 0", StringComparison.Ordinal);

    [GeneratedRegex(@"kalshi connected \d+/s \((?<kalshi>\d+) deltas, 0 stale[^)]*\), polymarket connected \d+/s \((?<poly>\d+) deltas, 0 stale[^)]*\)")]
    private static partial Regex SummaryLine();
}
