using ArbBot.Engine.Kernel;
using ArbBot.Abstractions.Orders;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Events;
using System.Diagnostics;
using ArbBot.Engine.Hosting;
using ArbBot.Engine.Mirror;
using ArbBot.IntegrationTests.Support;
using StackExchange.Redis;

namespace ArbBot.IntegrationTests.Redis;

/// <summary>The mirror against a real redis-server: content, expiry, outages, several engines, redis-cli.</summary>
[Collection(TimingSensitiveCollection.Name)]
public sealed class RedisMirrorTests
{
    private readonly string _dir = TestPaths.NewTempDirectory("redis");

    private static string Config(RedisServer redis, string prefix = "arbtest", int expirySeconds = 30, string engineId = "it", string? pairs = null)
    {
        string yaml = EngineFixture.Sims().Replace("id: it", $"id: {engineId}");
        if (pairs is not null)
        {
            yaml = yaml[..yaml.IndexOf("pairs:", StringComparison.Ordinal)] + pairs;
        }

        return yaml + $"""

            redis:
              connection: {redis.Connection}
              key_prefix: {prefix}
              expiry_seconds: {expirySeconds}
              depth_levels: {MirrorAssertions.DepthLevels}
            """;
    }

    [Fact]
    public async Task Every_book_in_the_engine_equals_its_mirrored_hash_and_depth()
    {
        using RedisServer redis = RedisServer.StartNew();
        await using EngineHost host = EngineFixture.Create(Config(redis), _dir);
        await host.StartAsync(CancellationToken.None);
        Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(host.Mirror!.Status().BooksWritten > 50), TimeSpan.FromSeconds(30)), "the mirror wrote too few books");

        await StopFeedsAndCatchUp(host);
        using ConnectionMultiplexer client = redis.Client();
        List<string> differences = await MirrorAssertions.DifferencesAsync(host, client.GetDatabase(), "arbtest");
        Assert.Empty(differences);
        Assert.Equal(16, redis.Cli("--scan", "--pattern", "arbtest:book:*").Length); // 8 books x YES/NO

        MirrorStatus status = host.Mirror!.Status();
        Assert.Equal("connected", status.State);
        Assert.True(status.BooksWritten > 50);
        Assert.True(status.LagP99Ms > 0);
    }

    [Fact]
    public async Task Redis_cli_reads_a_book_as_documented()
    {
        using RedisServer redis = RedisServer.StartNew();
        await using EngineHost host = EngineFixture.Create(Config(redis), _dir);
        await host.StartAsync(CancellationToken.None);
        Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(redis.Cli("EXISTS", "arbtest:engine:it").Single() == "1" && redis.Cli("EXISTS", "arbtest:book:sim-poly:SIMP-E01:yes").Single() == "1"), TimeSpan.FromSeconds(30)),
            "no heartbeat or book in Redis");
        await StopFeedsAndCatchUp(host);

        string[] hash = redis.Cli("HGETALL", "arbtest:book:sim-poly:SIMP-E01:yes");
        var fields = Enumerable.Range(0, hash.Length / 2).ToDictionary(i => hash[2 * i], i => hash[(2 * i) + 1]);
        string bid = await host.Kernel.InvokeAsync(() =>
        {
            host.Kernel.Books[host.Venues[1].Subscriptions[0].Handle].TryGetBestBid(Abstractions.Markets.Outcome.Yes, out var level);
            return level.Price.ToString();
        });
        Assert.Equal(bid, fields["bid"]);
        Assert.Equal("0", fields["stale"]);
        Assert.Equal("sim-poly", fields["venue"]);

        Assert.StartsWith(bid + ":", fields["bids"]);
        Assert.Equal(MirrorAssertions.DepthLevels, fields["bids"].Split(' ').Length);
        Assert.StartsWith(bid + ":", redis.Cli("HGET", "arbtest:book:sim-poly:SIMP-E01:yes", "bids").Single());

        Assert.Equal(["it"], redis.Cli("SMEMBERS", "arbtest:engines"));
    }

    [Fact]
    public async Task The_heartbeat_hash_holds_plain_fields_and_the_status_pairs_and_fees_have_keys_of_their_own()
    {
        using RedisServer redis = RedisServer.StartNew();
        string yaml = Config(redis).Replace("  - name: sim-poly\n    plugin: ArbBot.Venues.Sim\n", "  - name: sim-poly\n    plugin: ArbBot.Venues.Sim\n    fees: { model: polymarket, rate: \"0.02\" }\n", StringComparison.Ordinal);
        Assert.Contains("rate: \"0.02\"", yaml, StringComparison.Ordinal);
        await using EngineHost host = EngineFixture.Create(yaml, _dir);
        await host.StartAsync(CancellationToken.None);
        await host.SummarizeAsync(); // the run's display loop does this every summary_interval; the heartbeat publishes the latest
        Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(redis.Cli("HEXISTS", "arbtest:engine:it", "kill").Single() == "1"), TimeSpan.FromSeconds(30)),
            "the heartbeat never carried the engine's summary");

        // HGETALL reads as it is: each field one plain value, no JSON, times in ISO 8601 beside Unix ms.
        using ConnectionMultiplexer client = redis.Client();
        var heartbeat = (await client.GetDatabase().HashGetAllAsync("arbtest:engine:it")).ToDictionary(e => (string)e.Name!, e => (string?)e.Value ?? "");
        foreach ((string field, string value) in heartbeat)
        {
            Assert.False(value.StartsWith('{') || value.StartsWith('[') || value.Contains('"', StringComparison.Ordinal), $"{field} is not a plain value: {value}");
        }

        Assert.Equal(RedisKeys.SchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), heartbeat["schema"]);
        foreach (string time in new[] { "started", "updated" })
        {
            long ms = long.Parse(heartbeat[time + "_ms"], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", heartbeat[time + "_at"]);
            Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(ms), DateTimeOffset.Parse(heartbeat[time + "_at"], System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.Equal(["off", "paper", "4", "2", "connected"], [heartbeat["kill"], heartbeat["mode"], heartbeat["pairs"], heartbeat["venues"], heartbeat["mirror_state"]]);
        Assert.True(Money.TryParse(heartbeat["pnl"], out _), heartbeat["pnl"]);
        Assert.Contains("mirror_lag_p99_ms", heartbeat.Keys);

        // The status JSON for programs, without the pairs and fees.
        using (var status = System.Text.Json.JsonDocument.Parse(redis.Cli("GET", "arbtest:engine:it:status").Single()))
        {
            Assert.Equal(2, status.RootElement.GetProperty("venues").GetArrayLength());
            Assert.False(status.RootElement.TryGetProperty("pairs", out _));
        }

        // The pairs and each venue's fee model, one hash each, expiring with the heartbeat.
        string[] pairs = redis.Cli("HGETALL", "arbtest:engine:it:pairs");
        Assert.Equal(8, pairs.Length);
        Assert.Equal("sim-kalshi:SIMK-E01 sim-poly:SIMP-E01", redis.Cli("HGET", "arbtest:engine:it:pairs", "E01").Single());
        Assert.Equal(["polymarket", "0.02", "0"], redis.Cli("HMGET", "arbtest:engine:it:fees:sim-poly", "model", "rate", "maker_fees"));
        Assert.Equal("none", redis.Cli("HGET", "arbtest:engine:it:fees:sim-kalshi", "model").Single());
        foreach (string key in new[] { "arbtest:engine:it:status", "arbtest:engine:it:pairs", "arbtest:engine:it:fees:sim-poly" })
        {
            int ttl = int.Parse(redis.Cli("TTL", key).Single(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(ttl is > 0 and <= 10, $"{key} expires in {ttl} s");
        }

        // Written on change, not every second: deleted by hand, the pairs come back only with a new
        // connection (a restarted Redis is empty and gets everything again).
        redis.Cli("DEL", "arbtest:engine:it:pairs");
        string beforeMs = redis.Cli("HGET", "arbtest:engine:it", "updated_ms").Single();
        Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(string.CompareOrdinal(redis.Cli("HGET", "arbtest:engine:it", "updated_ms").Single(), beforeMs) > 0), TimeSpan.FromSeconds(30)),
            "no heartbeat after the pairs were deleted");
        Assert.Equal("0", redis.Cli("EXISTS", "arbtest:engine:it:pairs").Single());
        redis.Stop();
        redis.Start();
        await host.SummarizeAsync();
        Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(redis.Cli("HLEN", "arbtest:engine:it:pairs").Single() == "4"), TimeSpan.FromSeconds(30)),
            "the pairs were not written again after Redis came back");
    }

    [Fact]
    public async Task The_last_trade_and_the_venues_totals_are_in_both_outcomes_hashes()
    {
        using RedisServer redis = RedisServer.StartNew();
        await using EngineHost host = EngineFixture.Create(Config(redis), _dir);
        await host.StartAsync(CancellationToken.None);
        Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(host.Mirror!.Status().BooksWritten > 0), TimeSpan.FromSeconds(30)), "the mirror wrote nothing");
        await StopFeedsAndCatchUp(host);

        // A taker sold 12 YES at 0.41 (the same as buying 12 NO at 0.59), then the venue's totals.
        VenueRuntime poly = host.Venues[1];
        MarketHandle market = poly.Subscriptions[0].Handle;
        Assert.True(host.Kernel.Post(KernelEvent.ForTrade(poly.Index, new TradePrint(market, Outcome.Yes, Price.Parse("0.41"), Quantity.Parse("12"), OrderSide.Sell, 1795306881798, Stopwatch.GetTimestamp()))));
        Assert.True(host.Kernel.Post(KernelEvent.ForTicker(poly.Index, new TickerUpdate(market, Price.Zero, Price.Zero, Price.Parse("0.41"), Quantity.Parse("5000"), Quantity.Parse("1200"), 0, Stopwatch.GetTimestamp()))));

        string key = $"arbtest:book:sim-poly:{poly.Subscriptions[0].MarketId}";
        Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(redis.Cli("HGET", key + ":no", "open_interest").SingleOrDefault() == "1200.00"), TimeSpan.FromSeconds(10)), "the tape never reached redis");
        Assert.Equal(["0.41", "12.00", "sell", "1795306881798", "5000.00", "1200.00"], redis.Cli("HMGET", key + ":yes", "last", "last_size", "last_side", "last_ts", "volume", "open_interest"));
        Assert.Equal(["0.59", "12.00", "buy"], redis.Cli("HMGET", key + ":no", "last", "last_size", "last_side"));
    }

    [Fact]
    public async Task Changes_are_published_on_the_updates_channel()
    {
        using RedisServer redis = RedisServer.StartNew();
        using ConnectionMultiplexer client = redis.Client();
        var messages = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await client.GetSubscriber().SubscribeAsync(RedisChannel.Literal("arbtest:updates"), (_, m) => messages.Enqueue(m.ToString()));
        await using EngineHost host = EngineFixture.Create(Config(redis), _dir);
        await host.StartAsync(CancellationToken.None);
        Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(messages.Count > 20), TimeSpan.FromSeconds(15)));
        System.Text.Json.JsonElement first = System.Text.Json.JsonDocument.Parse(messages.First()).RootElement[0];
        Assert.StartsWith("sim-", first.GetProperty("venue").GetString());
        Assert.True(first.TryGetProperty("seq", out _) && first.TryGetProperty("epoch", out _) && first.TryGetProperty("stale", out _));
        Assert.True(first.GetProperty("yes").TryGetProperty("bid", out _) && first.GetProperty("no").TryGetProperty("ask", out _));
    }

    [Fact]
    public async Task Top_of_book_only_leaves_out_the_depth_fields()
    {
        using RedisServer redis = RedisServer.StartNew();
        await using EngineHost host = EngineFixture.Create(Config(redis).Replace($"depth_levels: {MirrorAssertions.DepthLevels}", "depth_levels: 0"), _dir);
        await host.StartAsync(CancellationToken.None);
        await StopFeedsAndCatchUp(host);
        string[] fields = redis.Cli("HKEYS", "arbtest:book:sim-kalshi:SIMK-E01:no");
        Assert.Contains("ask", fields);
        Assert.DoesNotContain("bids", fields);
        Assert.DoesNotContain("asks", fields);
    }

    [Fact]
    public async Task A_dead_feeds_books_expire_while_a_live_feeds_stay()
    {
        using RedisServer redis = RedisServer.StartNew();
        // 4 s leaves the live venue's refreshes (every second) room for a busy machine.
        await using EngineHost host = EngineFixture.Create(Config(redis, expirySeconds: 4), _dir);
        await host.StartAsync(CancellationToken.None);
        using ConnectionMultiplexer client = redis.Client();
        IDatabase db = client.GetDatabase();
        Assert.True(await EngineFixture.WaitUntil(async () => await db.KeyExistsAsync("arbtest:book:sim-kalshi:SIMK-E01:yes"), TimeSpan.FromSeconds(10)));

        await host.StopVenueAsync("sim-kalshi");
        Assert.True(await EngineFixture.WaitUntil(async () => !await db.KeyExistsAsync("arbtest:book:sim-kalshi:SIMK-E01:yes"), TimeSpan.FromSeconds(15)), "the dead feed's book did not expire");
        Assert.Empty(redis.Cli("--scan", "--pattern", "arbtest:book:sim-kalshi:*"));
        Assert.Equal(8, redis.Cli("--scan", "--pattern", "arbtest:book:sim-poly:*").Length); // still live, kept alive past their first expiry
    }

    [Fact]
    public async Task Redis_down_at_start_the_engine_runs_and_the_full_state_arrives_when_it_comes_up()
    {
        RedisServer redis = RedisServer.NotStarted();
        try
        {
            await using EngineHost host = EngineFixture.Create(Config(redis), _dir);
            await host.StartAsync(CancellationToken.None);
            // The first connect attempt may take its whole 2 s timeout on a busy machine ("connecting").
            Assert.True(
                await EngineFixture.WaitUntil(() => Task.FromResult(host.Mirror!.Status().State.StartsWith("not connected", StringComparison.Ordinal)), TimeSpan.FromSeconds(15)),
                $"the mirror never reported the missing server: {host.Mirror!.Status().State}");
            Assert.True(await EngineFixture.WaitUntil(async () => (await host.SummarizeAsync()).Venues.All(v => v.Deltas > 0), TimeSpan.FromSeconds(15)),
                "books did not move while Redis was down"); // trading path unaffected
            EngineSummary before = await host.SummarizeAsync();
            Assert.StartsWith("not connected", before.Mirror.State);

            redis.Start();
            Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(host.Mirror!.Status().State == "connected"), TimeSpan.FromSeconds(20)), "the mirror never connected");
            await StopFeedsAndCatchUp(host);
            using ConnectionMultiplexer client = redis.Client();
            Assert.Empty(await MirrorAssertions.DifferencesAsync(host, client.GetDatabase(), "arbtest"));
        }
        finally
        {
            redis.Dispose();
        }
    }

    [Fact]
    public async Task Redis_dying_mid_run_blocks_nothing_and_the_mirror_resyncs_on_return()
    {
        using RedisServer redis = RedisServer.StartNew();
        await using EngineHost host = EngineFixture.Create(Config(redis), _dir);
        await host.StartAsync(CancellationToken.None);
        Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(host.Mirror!.Status().BooksWritten > 20), TimeSpan.FromSeconds(10)));

        redis.Stop();
        long deltasAtStop = (await host.SummarizeAsync()).Venues.Sum(v => v.Deltas);
        EngineSummary during = await host.SummarizeAsync();
        Assert.True(await EngineFixture.WaitUntil(async () => (during = await host.SummarizeAsync()).Venues.Sum(v => v.Deltas) > deltasAtStop + 100, TimeSpan.FromSeconds(30)),
            "book updates stopped while Redis was down");
        Assert.Equal(0, during.BackPressureWaits);

        redis.Start(); // a fresh, empty server: everything must be written again
        Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(host.Mirror!.Status() is { State: "connected", Resyncs: >= 2 }), TimeSpan.FromSeconds(30)), "the mirror did not resync");
        await StopFeedsAndCatchUp(host);
        using ConnectionMultiplexer client = redis.Client();
        Assert.Empty(await MirrorAssertions.DifferencesAsync(host, client.GetDatabase(), "arbtest"));
    }

    [Fact]
    public async Task Two_engines_with_their_own_events_share_one_redis()
    {
        using RedisServer redis = RedisServer.StartNew();
        const string pairsA = """
            pairs:
              - event: E01
                legs: { sim-kalshi: SIMK-E01, sim-poly: { market: SIMP-E01, yes: SIMP-E01-YES, no: SIMP-E01-NO } }
              - event: E02
                legs: { sim-kalshi: SIMK-E02, sim-poly: { market: SIMP-E02, yes: SIMP-E02-YES, no: SIMP-E02-NO } }
            """;
        const string pairsB = """
            pairs:
              - event: E03
                legs: { sim-kalshi: SIMK-E03, sim-poly: { market: SIMP-E03, yes: SIMP-E03-YES, no: SIMP-E03-NO } }
            """;
        await using EngineHost a = EngineFixture.Create(Config(redis, engineId: "shard-a", pairs: pairsA), TestPaths.NewTempDirectory("shard-a"));
        await using EngineHost b = EngineFixture.Create(Config(redis, engineId: "shard-b", pairs: pairsB), TestPaths.NewTempDirectory("shard-b"));
        await a.StartAsync(CancellationToken.None);
        await b.StartAsync(CancellationToken.None);
        Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(redis.Cli("SMEMBERS", "arbtest:engines").Length == 2
            && redis.Cli("EXISTS", "arbtest:engine:shard-a").Single() == "1" && redis.Cli("EXISTS", "arbtest:engine:shard-b").Single() == "1"), TimeSpan.FromSeconds(30)),
            "both engines' heartbeats did not appear");
        await StopFeedsAndCatchUp(a);
        await StopFeedsAndCatchUp(b);

        using ConnectionMultiplexer client = redis.Client();
        Assert.Empty(await MirrorAssertions.DifferencesAsync(a, client.GetDatabase(), "arbtest"));
        Assert.Empty(await MirrorAssertions.DifferencesAsync(b, client.GetDatabase(), "arbtest"));
        Assert.Equal(12, redis.Cli("--scan", "--pattern", "arbtest:book:*").Length);
        Assert.Equal(["shard-a", "shard-b"], redis.Cli("SMEMBERS", "arbtest:engines").Order());
        Assert.Equal("shard-b", redis.Cli("HGET", "arbtest:book:sim-poly:SIMP-E03:no", "engine").Single());
        Assert.Equal("shard-a", redis.Cli("HGET", "arbtest:engine:shard-a", "id").Single());
    }

    internal static async Task StopFeedsAndCatchUp(EngineHost host)
    {
        foreach (VenueRuntime venue in host.Venues)
        {
            await host.StopVenueAsync(venue.Name);
        }

        await host.Kernel.InvokeAsync(() => 0); // every queued event applied
        Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(host.Mirror!.IsCaughtUp), TimeSpan.FromSeconds(20)), "the mirror did not catch up");
    }
}
