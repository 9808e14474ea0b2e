using System.Collections.Concurrent;
using ArbBot.Engine.Hosting;
using ArbBot.Engine.Risk;
using ArbBot.IntegrationTests.Support;
using StackExchange.Redis;

namespace ArbBot.IntegrationTests.Redis;

/// <summary>
/// Three engines trading the default config's strategies on the simulated venues, sharing one small
/// exposure budget through one real redis-server: the grants in Redis (read throughout by a
/// watcher) never pass the total or an event's budget, engines are refused for want of budget and
/// trade within it, and the budget is whole again once they stop. An engine cut off from Redis
/// trades within its local share.
/// </summary>
public sealed class SharedBudgetTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Three_engines_racing_for_one_small_budget_never_hold_more_than_it_and_return_it_when_they_stop()
    {
        using RedisServer redis = RedisServer.StartNew();
        using ConnectionMultiplexer client = redis.Client();
        IDatabase db = client.GetDatabase();
        const long total = 40_000_000, perEvent = 15_000_000;
        var hosts = new List<EngineHost>();
        using var watching = new CancellationTokenSource();
        var sums = new ConcurrentQueue<(long Total, long WorstUnit)>();
        Task watcher = Task.Run(async () =>
        {
            while (!watching.IsCancellationRequested)
            {
                HashEntry[] fields = await db.HashGetAllAsync("arbbudget:budget:acct");
                var grants = fields.Where(f => !((string)f.Name!).EndsWith("|lease", StringComparison.Ordinal)).ToList();
                long worst = grants.GroupBy(f => ((string)f.Name!).Split('|')[1]).Select(g => g.Sum(f => (long)f.Value)).DefaultIfEmpty(0).Max();
                sums.Enqueue((grants.Sum(f => (long)f.Value), worst));
            }
        });
        try
        {
            foreach (string id in new[] { "b1", "b2", "b3" })
            {
                string dir = TestPaths.NewTempDirectory("shared-budget-" + id);
                EngineHost host = EngineFixture.Create(DefaultConfig(redis.Connection, id, "lease: 2s"), dir);
                hosts.Add(host);
                await host.StartAsync(CancellationToken.None);
            }

            // Every engine is refused for want of budget, and the engines trade within it. Which engine gets the room is
            // first come, first served (an engine holding positions keeps their grant), so not every engine need trade.
            foreach (EngineHost host in hosts)
            {
                Assert.True(await EngineFixture.WaitUntil(async () => await Refusals(host) > 0, Generous), "an engine was never refused for want of budget");
            }

            Assert.True(await EngineFixture.WaitUntil(async () => (await Task.WhenAll(hosts.Select(OrdersSent))).Sum() > 0, Generous), "no engine traded within the budget");

            // The grants climb as the engines race; how fast depends on the machine, so wait for the watcher to see it.
            Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(sums.Count > 200 && sums.Any(s => s.Total >= total / 2)), Generous),
                $"the grants never passed half the budget ({(sums.IsEmpty ? 0 : sums.Max(s => s.Total))}): the engines did not race for it");
        }
        finally
        {
            foreach (EngineHost host in hosts)
            {
                await host.DisposeAsync();
            }
        }

        // Stopped engines return their grants and leases.
        Assert.True(await EngineFixture.WaitUntil(async () => (await db.HashLengthAsync("arbbudget:budget:acct")) == 0, Generous),
            $"left in the budget: {string.Join(", ", (await db.HashGetAllAsync("arbbudget:budget:acct")).Select(f => $"{f.Name}={f.Value}"))}");
        await watching.CancelAsync();
        await watcher;
        Assert.True(sums.All(s => s.Total <= total), $"the grants reached {sums.Max(s => s.Total)} micro-dollars, above the total {total}");
        Assert.True(sums.All(s => s.WorstUnit <= perEvent), $"one event's grants reached {sums.Max(s => s.WorstUnit)}, above its budget {perEvent}");
    }

    [Fact]
    public async Task An_engine_that_loses_Redis_falls_back_to_its_local_share_and_not_to_unlimited()
    {
        using RedisServer redis = RedisServer.StartNew();
        string dir = TestPaths.NewTempDirectory("shared-budget-local");
        await using EngineHost host = EngineFixture.Create(DefaultConfig(redis.Connection, "bl", "lease: 2s, local_share: \"0.25\""), dir);
        await host.StartAsync(CancellationToken.None);
        Assert.True(await EngineFixture.WaitUntil(async () => await Budget(host) is ("shared", _, _), Generous), $"budget: {await Budget(host)}");
        Assert.True(await EngineFixture.WaitUntil(async () =>
            {
                await host.SummarizeAsync(); // what `arbbot run` does every summary interval: the heartbeat publishes the latest
                return redis.Cli("HMGET", "arbbudget:engine:bl", "budget", "budget_mode", "budget_total") is ["acct", "shared", "40.00"];
            }, Generous),
            $"the heartbeat shows the shared budget as [{string.Join(", ", redis.Cli("HMGET", "arbbudget:engine:bl", "budget", "budget_mode", "budget_total"))}]");

        redis.Pause(); // not answering, its port still taken (a stopped server's port could go to another test's server)
        Assert.True(await EngineFixture.WaitUntil(async () => (await Budget(host)).Mode.StartsWith("local share 0.25", StringComparison.Ordinal), Generous), $"budget: {await Budget(host)}");
        (_, long totalGranted, long eventGranted) = await Budget(host);
        Assert.Equal(10_000_000, totalGranted);  // a quarter of $40
        Assert.Equal(3_750_000, eventGranted);   // a quarter of $15

        redis.Resume();
        Assert.True(await EngineFixture.WaitUntil(async () => await Budget(host) is ("shared", _, _), Generous), $"budget after Redis came back: {await Budget(host)}");
    }

    private static Task<(string Mode, long Total, long Event)> Budget(EngineHost host) =>
        host.Kernel.InvokeAsync(() => (host.SharedBudget!.Mode, host.SharedBudget.TotalGranted.Micros, host.SharedBudget.Granted(0).Micros));

    private static Task<long> OrdersSent(EngineHost host) => host.Kernel.InvokeAsync(() => host.Execution.Summarize().OrdersSent);

    private static Task<long> Refusals(EngineHost host) =>
        host.Kernel.InvokeAsync(() => host.Execution.Risk.Rejections.GetValueOrDefault(RejectReason.SharedBudget));

    /// <summary>The shipped arbbot.yaml (four strategies trading on the simulated venues) with this Redis and a shared budget of $40, $15 an event.</summary>
    private static string DefaultConfig(string connection, string id, string extra) =>
        File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "arbbot.yaml"))
            .Replace("  id: local-1", $"  id: {id}", StringComparison.Ordinal)
            .Replace("file: strategies/", $"file: {TestPaths.RepoRoot}/strategies/", StringComparison.Ordinal)
            .Replace("connection: localhost:6379", $"connection: {connection}", StringComparison.Ordinal)
            .Replace("key_prefix: arb\n", "key_prefix: arbbudget\n", StringComparison.Ordinal)
            .Replace("\nrisk:\n", $"\nrisk:\n  shared_budget: {{ name: acct, total_usd: \"40\", event_usd: \"15\", chunk_usd: \"5\", {extra} }}\n", StringComparison.Ordinal);
}
