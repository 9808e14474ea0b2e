using System.Diagnostics;
using System.Globalization;
using ArbBot.IntegrationTests.Support;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace ArbBot.IntegrationTests.Redis;

/// <summary>
/// Several `arbbot run` processes with the same 26 pairs (the shipped config, trading on the
/// simulated venues) on one real redis-server, with <c>engine.ownership_lease</c>: they split the
/// pairs, each owned by one engine; a `kill -9`'d engine's pairs are owned again once its lease
/// runs out; and the order logs of all of them show no pair traded by two engines under one
/// fencing number, the numbers going up from one owner to the next. A standby owns nothing until
/// the active engine is gone.
/// </summary>
public sealed class PairOwnershipTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Three_engines_split_the_pairs_and_a_killed_engines_pairs_are_taken_over_after_its_lease_under_higher_fences()
    {
        using RedisServer redis = RedisServer.StartNew();
        var engines = new Dictionary<string, (ArbBotProcess Process, string Db)>(StringComparer.Ordinal);
        try
        {
            foreach (string id in new[] { "o1", "o2", "o3" })
            {
                engines[id] = Start(redis, id, "");
            }

            // Every pair owned, by exactly one engine, split between the three; each engine says so in its heartbeat.
            Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(Owners(redis) is var owners
                && owners.Count == Pairs && engines.Keys.All(id => owners.Values.Count(o => o == id) >= 6)
                && engines.Keys.Sum(id => HeartbeatOwned(redis, id)) == Pairs), Generous),
                $"owners: {Describe(Owners(redis))}; heartbeats: {string.Join(", ", engines.Keys.Select(id => $"{id}={HeartbeatOwned(redis, id)}"))}");
            // `arbbot top` shows each engine's part.
            string someConfig = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(engines["o1"].Db)!)!, "arbbot.yaml");
            (int code, string top, string topErrors) = await ArbBotProcess.RunAsync(Path.GetDirectoryName(someConfig)!, Generous, "top", "--config", someConfig, "--once");
            Assert.True(code == 0, topErrors);
            Assert.True(System.Text.RegularExpressions.Regex.Count(top, @"active: \d+ of 26") == 3, top);

            foreach ((string id, (ArbBotProcess _, string db)) in engines)
            {
                Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(StateDatabase.Scalar(db, "SELECT COUNT(*) FROM orders WHERE fence > 0") > 0), Generous),
                    $"{id} sent no order on its pairs");
            }

            // kill -9 one: its pairs are owned again by the others once its lease (2 s) has run out.
            List<string> orphaned = Owners(redis).Where(o => o.Value == "o2").Select(o => o.Key).ToList();
            var clock = Stopwatch.StartNew();
            engines["o2"].Process.KillHard();
            Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(Owners(redis) is var owners && orphaned.All(e => owners.TryGetValue(e, out string? o) && o is "o1" or "o3")), Generous),
                $"owners after the kill: {Describe(Owners(redis))}");
            output.WriteLine($"the killed engine's {orphaned.Count} pairs were owned again {clock.Elapsed.TotalSeconds:0.00} s after kill -9 (lease 2 s, renewed every 0.4 s)");

            // The survivors trade what they took over, under the new fencing numbers.
            Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(engines.Where(e => e.Key != "o2").Any(e =>
                StateDatabase.Scalar(e.Value.Db, $"SELECT COUNT(*) FROM orders o JOIN attempts a USING(group_id) WHERE a.event IN ({string.Join(",", orphaned.Select(x => $"'{x}'"))})") > 0)), Generous),
                "no survivor traded a pair it took over");

            foreach (string id in new[] { "o1", "o3" })
            {
                engines[id].Process.Interrupt();
                Assert.Equal(0, await engines[id].Process.WaitForExitAsync(Generous));
            }

            // Each stopped engine handed its pairs back.
            Assert.Empty(Owners(redis));
        }
        finally
        {
            foreach ((ArbBotProcess process, string _) in engines.Values)
            {
                process.Dispose();
            }
        }

        // The order logs of all three: every order under a fence; one engine per (pair, fence); fences go up over time.
        var orders = engines.SelectMany(e => Orders(e.Value.Db)).ToList();
        Assert.NotEmpty(orders);
        Assert.DoesNotContain(orders, o => o.Fence == 0);
        foreach (IGrouping<(string Event, long Fence), (string Engine, string Event, long Fence, long SentMs)> lease in orders.GroupBy(o => (o.Event, o.Fence)))
        {
            Assert.True(lease.Select(o => o.Engine).Distinct().Count() == 1, $"{lease.Key.Event} traded by {string.Join(" and ", lease.Select(o => o.Engine).Distinct())} under fence {lease.Key.Fence}");
        }

        foreach (IGrouping<string, (string Engine, string Event, long Fence, long SentMs)> pair in orders.GroupBy(o => o.Event))
        {
            var byFence = pair.GroupBy(o => o.Fence).OrderBy(g => g.Key).ToList();
            for (int i = 1; i < byFence.Count; i++)
            {
                Assert.True(byFence[i - 1].Max(o => o.SentMs) <= byFence[i].Min(o => o.SentMs),
                    $"{pair.Key}: an order under fence {byFence[i - 1].Key} was sent after one under fence {byFence[i].Key}");
            }
        }
    }

    [Fact]
    public async Task A_standby_owns_nothing_while_the_active_engine_lives_and_takes_every_pair_when_it_is_killed()
    {
        using RedisServer redis = RedisServer.StartNew();
        (ArbBotProcess active, string _) = Start(redis, "primary", "");
        (ArbBotProcess standby, string standbyDb) = Start(redis, "standby", "  role: standby\n");
        using (active)
        using (standby)
        {
            Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(Owners(redis) is var owners && owners.Count == Pairs && owners.Values.All(o => o == "primary")
                && redis.Cli("HGET", "arbowner:engine:standby", "role").SingleOrDefault() == "standby"), Generous),
                $"owners: {Describe(Owners(redis))}");
            Assert.Equal(0, HeartbeatOwned(redis, "standby"));
            Assert.True(StateDatabase.Scalar(standbyDb, "SELECT COUNT(*) FROM orders") <= 0, "the standby traded while the primary lived"); // -1: no table yet

            active.KillHard();
            Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(Owners(redis) is var owners && owners.Count == Pairs && owners.Values.All(o => o == "standby")), Generous),
                $"owners after the primary was killed: {Describe(Owners(redis))}");
            Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(StateDatabase.Scalar(standbyDb, "SELECT COUNT(*) FROM orders WHERE fence > 1") > 0), Generous),
                "the standby did not trade the pairs it took over");
        }
    }

    // The shipped config's pairs: 20 events and the 6 outcomes of its 2 outcome groups.
    private const int Pairs = 26;

    private static (ArbBotProcess Process, string Db) Start(RedisServer redis, string id, string engineLines)
    {
        string dir = TestPaths.NewTempDirectory("ownership-" + id);
        string config = Path.Combine(dir, "arbbot.yaml");
        File.WriteAllText(config, File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "arbbot.yaml"))
            .Replace("  id: local-1", $"  id: {id}\n  ownership_lease: 2s\n{engineLines}", StringComparison.Ordinal)
            .Replace("file: strategies/", $"file: {TestPaths.RepoRoot}/strategies/", StringComparison.Ordinal)
            .Replace("connection: localhost:6379", $"connection: {redis.Connection}", StringComparison.Ordinal)
            .Replace("key_prefix: arb\n", "key_prefix: arbowner\n", StringComparison.Ordinal));
        return (ArbBotProcess.Start(dir, "run", "--config", config, "--no-watch-plugins", "--no-watch-strategies"), StateDatabase.Of(config));
    }

    /// <summary>Event -> owner of every pair with a live lease, as Redis holds them (one script: a poll takes a millisecond, not a process per key).</summary>
    private static Dictionary<string, string> Owners(RedisServer redis)
    {
        string[] flat = redis.Cli("EVAL", """
            local clock = redis.call('TIME')
            local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
            local live = {}
            for _, key in ipairs(redis.call('KEYS', 'arbowner:owner:*')) do
              local owner = redis.call('HGET', key, 'owner') or ''
              if owner ~= '' and tonumber(redis.call('HGET', key, 'expires') or '0') > now then
                table.insert(live, string.sub(key, string.len('arbowner:owner:') + 1))
                table.insert(live, owner)
              end
            end
            return live
            """, "0");
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i + 1 < flat.Length; i += 2)
        {
            owners[flat[i]] = flat[i + 1];
        }

        return owners;
    }

    private static int HeartbeatOwned(RedisServer redis, string id) =>
        int.TryParse(redis.Cli("HGET", $"arbowner:engine:{id}", "pairs_owned").SingleOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n : -1;

    private static string Describe(Dictionary<string, string> owners) => string.Join(" ", owners.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key}={o.Value}"));

    private static List<(string Engine, string Event, long Fence, long SentMs)> Orders(string db)
    {
        using var connection = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=false");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT a.engine, a.event, o.fence, o.sent_ms FROM orders o JOIN attempts a USING(group_id)";
        using SqliteDataReader reader = command.ExecuteReader();
        var rows = new List<(string, string, long, long)>();
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3)));
        }

        return rows;
    }
}
