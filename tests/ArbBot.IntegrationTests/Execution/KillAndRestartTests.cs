using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Abstractions.Strategies;
using ArbBot.Engine.Execution;
using ArbBot.Engine.Risk;
using ArbBot.Engine.Storage;
using ArbBot.IntegrationTests.Redis;
using ArbBot.IntegrationTests.Support;
using StackExchange.Redis;
using static ArbBot.IntegrationTests.Execution.TradingHarness;

namespace ArbBot.IntegrationTests.Execution;

/// <summary>The kill switch (halt, flatten, surviving restarts, from another process) and restarts in the middle of trading.</summary>
[Collection(TimingSensitiveCollection.Name)]
public sealed class KillAndRestartTests
{
    [Fact]
    public async Task Kill_halts_new_orders_survives_a_restart_and_clears()
    {
        string dir = TestPaths.NewTempDirectory("kill");
        await using (TradingHarness h = await TradingHarness.StartAsync(directory: dir))
        {
            await h.SetUsualBooksAsync();

            // What `arbbot kill` does from another process: write the state database.
            KillSwitchStore.Write(h.DatabasePath, new KillState(false, "operator says stop", "cli", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
            Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(h.Host.Kill.IsEngaged), TimeSpan.FromSeconds(5)));
            await h.SubmitAsync(h.DutchPair());
            ExecutionSummary s = await h.SummaryAsync();
            Assert.Equal(1, s.Rejections[RejectReason.KillSwitch]);
            Assert.Equal(0, s.Attempts);
            Assert.Contains("halt by cli: operator says stop", s.Kill);
        }

        await using (TradingHarness h = await TradingHarness.StartAsync(directory: dir))
        {
            Assert.True(h.Host.Kill.IsEngaged); // still engaged after the restart
            await h.SetUsualBooksAsync();
            await h.SubmitAsync(h.DutchPair());
            Assert.Equal(1, (await h.SummaryAsync()).Rejections[RejectReason.KillSwitch]);

            Assert.True(KillSwitchStore.Clear(h.DatabasePath));
            Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(!h.Host.Kill.IsEngaged), TimeSpan.FromSeconds(5)));
            long id = await h.SendAsync(h.DutchPair());
            Assert.True(await h.WaitAsync(() => h.GroupDone(id)));
            Assert.Contains("kill switch cleared", string.Join("\n", await h.ColumnAsync("SELECT message FROM alerts")));
        }
    }

    [Fact]
    public async Task Flatten_cancels_resting_orders_and_unwinds_unhedged_exposure()
    {
        await using TradingHarness h = await TradingHarness.StartAsync(new TradingHarness.Settings { Grace = "30s" });
        await h.SetUsualBooksAsync("EV1");
        await h.SetUsualBooksAsync("EV2");

        long legged = await h.SendAsync(h.DutchPair(noLimit: "0.505")); // 10 YES unhedged; the policy waits (30 s grace)
        long quote = await h.SendAsync(IntentGroup.Single(Buy(h.Market("pb", "EV2"), Outcome.Yes, "0.45", 10, TimeInForce.GoodTillCancelled, postOnly: true), TradingHarness.M("0.5"), "quote"), "EV2");
        Assert.True(await h.WaitAsync(() => h.GroupDone(legged) && h.Orders.Order($"arb-{quote}-0")!.Status == OrderStatus.Acked));
        Assert.True((await h.SummaryAsync()).UnhedgedExposure.Micros > 0);

        h.Host.Kill.Engage(flatten: true, "test flatten", "test");
        Assert.True(await h.WaitAsync(() => h.Orders.Order($"arb-{quote}-0")!.Status == OrderStatus.Cancelled), "the resting quote was not cancelled");
        Assert.True(await h.WaitAsync(() => h.Execution.Policy.Closed.Count == 1), "the unhedged YES was not unwound");
        Assert.Equal("unwound", (await h.OnKernelAsync(() => h.Execution.Policy.Closed[0])).Resolution);
        ExecutionSummary s = await h.SummaryAsync();
        Assert.Equal(0, s.UnhedgedExposure.Micros);
        Assert.Equal(0, s.WorkingOrders);
        Assert.Equal(10_000_000, await h.ScalarAsync("SELECT SUM(filled_micros) FROM orders WHERE role = 'unwind' AND side = 'sell'"));
        Assert.Contains("flatten", await h.ColumnAsync("SELECT kind FROM alerts"));
    }

    [Fact]
    public async Task A_restart_with_orders_in_flight_sends_nothing_twice_and_reuses_no_id()
    {
        string dir = TestPaths.NewTempDirectory("restart");
        long firstId;
        await using (TradingHarness h = await TradingHarness.StartAsync(new TradingHarness.Settings { Latency = "3s" }, dir))
        {
            await h.SetUsualBooksAsync();
            firstId = await h.SendAsync(h.DutchPair());
            Assert.Equal(2, await h.ScalarAsync($"SELECT COUNT(*) FROM orders WHERE group_id = {firstId} AND status = 'new'"));
        } // stopped with both legs in flight

        await using (TradingHarness h = await TradingHarness.StartAsync(directory: dir))
        {
            await h.SetUsualBooksAsync();
            Assert.Equal(2, await h.ScalarAsync($"SELECT COUNT(*) FROM orders WHERE group_id = {firstId} AND status = 'expired'"));
            Assert.Equal(0, (await h.SummaryAsync()).OrdersSent); // nothing re-sent
            Assert.Equal(1, await h.ScalarAsync($"SELECT COUNT(*) FROM attempts WHERE group_id = {firstId} AND status = 'unfilled' AND finished_ms IS NOT NULL")); // not "working" forever

            long next = await h.SendAsync(h.DutchPair());
            Assert.True(next > firstId, "a group id was reused after the restart");
            Assert.True(await h.WaitAsync(() => h.GroupDone(next)));
            Assert.Equal(4, await h.ScalarAsync("SELECT COUNT(DISTINCT client_order_id) FROM orders"));
        }
    }

    [Fact]
    public async Task A_restart_while_legged_recovers_the_episode_from_the_log_and_resolves_it()
    {
        string dir = TestPaths.NewTempDirectory("restart-legged");
        long episodeId;
        await using (TradingHarness h = await TradingHarness.StartAsync(new TradingHarness.Settings { Grace = "30s" }, dir))
        {
            await h.SetUsualBooksAsync();
            long id = await h.SendAsync(h.DutchPair(noLimit: "0.505"));
            Assert.True(await h.WaitAsync(() => h.GroupDone(id) && h.Execution.Policy.IsLegged(0)));
            episodeId = await h.OnKernelAsync(() => h.Execution.Policy.Open.Single().Id);
        } // stopped while legged, before the policy acted

        await using (TradingHarness h = await TradingHarness.StartAsync(directory: dir))
        {
            // Positions come back from the fills in the log; the open episode continues under its id.
            Assert.Equal(TradingHarness.Q(10), await h.OnKernelAsync(() => h.Host.Inventory.ExposureOf(0).Unhedged));
            Assert.Equal(episodeId, await h.OnKernelAsync(() => h.Execution.Policy.Open.Single().Id));

            await h.SetUsualBooksAsync();
            Assert.True(await h.WaitAsync(() => h.Execution.Policy.Closed.Count == 1));
            LeggedEpisode episode = await h.OnKernelAsync(() => h.Execution.Policy.Closed[0]);
            Assert.Equal(episodeId, episode.Id);
            Assert.Equal("hedged", episode.Resolution);
            Assert.Equal("hedged", (await h.ColumnAsync($"SELECT resolution FROM legged WHERE id = {episodeId}")).Single());
            Assert.Equal(1, await h.ScalarAsync("SELECT COUNT(*) FROM legged"));
            Assert.Equal(0, (await h.SummaryAsync()).UnhedgedExposure.Micros);
        }
    }

    [Fact]
    public async Task Winding_down_stops_new_orders_and_waits_until_the_legged_event_is_flat()
    {
        await using TradingHarness h = await TradingHarness.StartAsync();
        await h.SetUsualBooksAsync("EV1");
        await h.SetUsualBooksAsync("EV2");
        long legged = await h.SendAsync(h.DutchPair(noLimit: "0.505"));
        long quote = await h.SendAsync(IntentGroup.Single(Buy(h.Market("pb", "EV2"), Outcome.Yes, "0.45", 10, TimeInForce.GoodTillCancelled, postOnly: true), TradingHarness.M("0.5"), "quote"), "EV2");
        Assert.True(await h.WaitAsync(() => h.GroupDone(legged)));

        Assert.True(await h.Host.WindDownAsync(TimeSpan.FromSeconds(10)), "the engine did not get flat before stopping");
        ExecutionSummary s = await h.SummaryAsync();
        Assert.Equal(0, s.UnhedgedExposure.Micros);
        Assert.Equal(0, s.WorkingOrders);
        Assert.Equal(OrderStatus.Cancelled, (await h.OnKernelAsync(() => h.Orders.Order($"arb-{quote}-0")))!.Status);

        await h.SubmitAsync(h.DutchPair("EV2"), "EV2");
        Assert.Equal(1, (await h.SummaryAsync()).Rejections[RejectReason.Stopping]);
    }

    [Fact]
    public async Task Redis_kill_key_engages_the_switch_and_alerts_reach_the_alerts_stream()
    {
        using RedisServer redis = RedisServer.StartNew();
        await using TradingHarness h = await TradingHarness.StartAsync(new TradingHarness.Settings { RedisConnection = $"127.0.0.1:{redis.Port}" });
        Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(h.Host.Mirror!.Status().State == "connected"), TimeSpan.FromSeconds(10)));
        using ConnectionMultiplexer client = redis.Client();
        IDatabase db = client.GetDatabase();

        await db.StringSetAsync("arbtest:kill", "flatten:dashboard button");
        Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(h.Host.Kill.State is { Flatten: true, Source: "redis (global)" }), TimeSpan.FromSeconds(5)));
        Assert.Equal("dashboard button", h.Host.Kill.State!.Reason);
        Assert.True(await EngineFixture.WaitUntil(async () => !await db.KeyExistsAsync("arbtest:kill"), TimeSpan.FromSeconds(5)), "the engine did not take the key in");
        // Persisted (off the engaging thread, a moment later): survives a restart.
        Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(KillSwitchStore.Read(h.DatabasePath) is { Mode: "flatten" }), TimeSpan.FromSeconds(30)));

        // The first alert is the kill (a flatten alert follows it). redis-cli prints the entry id, then field and value lines.
        Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(redis.Cli("XLEN", "arbtest:alerts").Single() != "0"), TimeSpan.FromSeconds(5)));
        List<string> entry = redis.Cli("XRANGE", "arbtest:alerts", "-", "+", "COUNT", "1").ToList();
        string Field(string name) => entry[entry.IndexOf(name) + 1];
        Assert.Equal("kill", Field("kind"));
        Assert.Equal("error", Field("level"));
        Assert.Contains("dashboard button", Field("message"));

        await db.StringSetAsync("arbtest:kill", "clear");
        Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(!h.Host.Kill.IsEngaged), TimeSpan.FromSeconds(5)));
        Assert.Null(KillSwitchStore.Read(h.DatabasePath));
    }
}
