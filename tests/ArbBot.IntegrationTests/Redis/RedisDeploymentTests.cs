using System.Globalization;
using ArbBot.Engine.Hosting;
using ArbBot.IntegrationTests.Support;

namespace ArbBot.IntegrationTests.Redis;

/// <summary>
/// The engine on the Redis deployments docs/redis.md describes, each of real redis-server
/// processes: a primary with a replica watched by a Sentinel (the engine follows a failover, the
/// mirror resumes on the new primary and the kill switch still reaches the engine), and a
/// three-node Cluster (books spread over the nodes, `redis-cli -c` reads them, the kill switch's
/// atomic script works because its keys share a slot).
/// </summary>
public sealed class RedisDeploymentTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Through_Sentinel_the_mirror_follows_a_failover_to_the_new_primary_and_the_kill_switch_still_reaches_the_engine()
    {
        using RedisSentinelGroup group = await RedisSentinelGroup.StartAsync("arbdeploy-primary", Generous);
        string dir = TestPaths.NewTempDirectory("sentinel-engine");
        EngineHost host = EngineFixture.Create(Config(group.Connection, "sen1"), dir);
        System.Net.Sockets.TcpListener? oldPrimaryPort = null;
        try
        {
            await host.StartAsync(CancellationToken.None);
            Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(group.Primary.Cli("HGET", "arbdeploy:engine:sen1", "mirror_state").SingleOrDefault() == "connected"), Generous),
                "the engine did not mirror into the primary the Sentinel named");
            Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(group.Replica.Cli("EXISTS", "arbdeploy:engine:sen1").Single() == "1"), Generous),
                "the replica did not receive the mirror");

            int books = group.Primary.Cli("KEYS", "arbdeploy:book:*").Length;
            Assert.True(books >= 16, $"only {books} books mirrored");

            // The primary dies (kill -9); the Sentinel promotes the replica. Its port stays taken until the test ends, so that
            // the engine, which keeps trying the old primary, cannot reach another test's server started on it.
            group.Primary.Stop();
            oldPrimaryPort = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, group.Primary.Port);
            oldPrimaryPort.Start();
            long killedMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(group.PrimaryPortNow() == group.Replica.Port), Generous), "the Sentinel did not fail over");

            // The engine writes on the new primary: a heartbeat deleted there comes back, and books carry times after the failover.
            group.Replica.Cli("DEL", "arbdeploy:engine:sen1");
            Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(group.Replica.Cli("HGET", "arbdeploy:engine:sen1", "mirror_state").SingleOrDefault() == "connected"), Generous),
                "the engine did not follow the failover: no heartbeat on the new primary");
            Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(BookTimeMs(group.Replica, "arbdeploy:book:sim-poly:SIMP-E01:yes") > killedMs), Generous),
                "books are not mirrored on the new primary");
            Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(group.Replica.Cli("KEYS", "arbdeploy:book:*").Length == books), Generous),
                $"the new primary holds {group.Replica.Cli("KEYS", "arbdeploy:book:*").Length} books, the old one held {books}");

            // The kill switch works through the new primary.
            Assert.False(host.Kill.IsEngaged);
            group.Replica.Cli("SET", "arbdeploy:kill", "halt:failover drill");
            Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(host.Kill.IsEngaged), Generous), "the kill switch did not reach the engine after the failover");
            Assert.Equal("failover drill", host.Kill.State!.Reason);

            // So does `arbbot kill`, which finds the new primary through the Sentinel too.
            (int code, string stdout, string stderr) = await ArbBotProcess.RunAsync(dir, Generous, "kill", "--config", Path.Combine(dir, "arbbot.yaml"), "--clear", "--ack-timeout", "60s");
            Assert.True(code == 0, $"{stdout}\n{stderr}");
            Assert.Contains("sen1: kill switch off", stdout, StringComparison.Ordinal);
            Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(!host.Kill.IsEngaged), Generous), "arbbot kill --clear through the Sentinel did not release the engine");
        }
        finally
        {
            // The engine goes before the old primary's port is freed: it keeps trying that port, and another test's server could get it.
            await host.DisposeAsync();
            oldPrimaryPort?.Stop();
        }
    }

    [Fact]
    public async Task An_engine_started_before_its_Sentinel_runs_without_Redis_and_mirrors_once_the_Sentinel_answers()
    {
        int sentinelPort = Ports.Free();
        string dir = TestPaths.NewTempDirectory("sentinel-late");
        EngineHost host = EngineFixture.Create(Config($"127.0.0.1:{sentinelPort},serviceName=arbdeploy-late", "late1"), dir);
        RedisSentinelGroup? group = null;
        try
        {
            await host.StartAsync(CancellationToken.None);
            Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(host.Mirror!.Status().State.StartsWith("not connected", StringComparison.Ordinal)), Generous),
                $"mirror state: {host.Mirror!.Status().State}");

            group = await RedisSentinelGroup.StartAsync("arbdeploy-late", Generous, sentinelPort);
            Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(group.Primary.Cli("HGET", "arbdeploy:engine:late1", "mirror_state").SingleOrDefault() == "connected"), Generous),
                "the engine did not connect once the Sentinel answered");
        }
        finally
        {
            // The engine goes before its Redis: an engine left retrying could reach another test's server on a reused port.
            await host.DisposeAsync();
            group?.Dispose();
        }
    }

    [Fact]
    public async Task On_a_three_node_cluster_books_spread_over_the_nodes_redis_cli_reads_them_and_the_kill_switch_reaches_every_engine()
    {
        using RedisClusterNodes cluster = await RedisClusterNodes.StartAsync(3, Generous);
        var hosts = new List<EngineHost>();
        try
        {
            string config = "";
            foreach (string id in new[] { "cl1", "cl2" })
            {
                string dir = TestPaths.NewTempDirectory("cluster-engine-" + id);
                EngineHost host = EngineFixture.Create(Config(cluster.Connection, id), dir);
                hosts.Add(host);
                await host.StartAsync(CancellationToken.None);
                config = Path.Combine(dir, "arbbot.yaml");
            }

            RedisServer first = cluster.Nodes[0];
            foreach (string id in new[] { "cl1", "cl2" })
            {
                Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(first.Cli("-c", "HGET", $"arbdeploy:engine:{id}", "mirror_state").SingleOrDefault() == "connected"), Generous),
                    $"no heartbeat from {id} through redis-cli -c");
            }

            // Every book of the config is readable from any node with -c (redirections followed), and the keys are on every node.
            foreach (string key in new[] { "arbdeploy:book:sim-poly:SIMP-E01:yes", "arbdeploy:book:sim-kalshi:SIMK-E04:no", "arbdeploy:book:sim-poly:SIMP-E03:no" })
            {
                Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(cluster.Nodes[2].Cli("-c", "HGET", key, "seq").SingleOrDefault() is { Length: > 0 }), Generous),
                    $"{key} not readable through the cluster");
            }

            Assert.All(cluster.KeysPerNode(), keys => Assert.True(keys > 0, "a node holds no key: the mirror does not spread over the cluster"));

            // The shared key, set on whichever node holds it, becomes a global command (one script over two keys of one slot).
            first.Cli("-c", "SET", "arbdeploy:kill", "halt:cluster drill");
            foreach (EngineHost host in hosts)
            {
                Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(host.Kill.IsEngaged), Generous), "an engine on the cluster did not halt");
            }

            Assert.Equal(["1", "halt:cluster drill"], first.Cli("-c", "HMGET", "{arbdeploy:kill}:global", "generation", "command"));
            (int code, string stdout, string stderr) = await ArbBotProcess.RunAsync(Path.GetDirectoryName(config)!, Generous, "kill", "--config", config, "--clear", "--ack-timeout", "60s");
            Assert.True(code == 0, $"{stdout}\n{stderr}");
            Assert.Matches(@"cl1: kill switch off[\s\S]*cl2: kill switch off", stdout);
            foreach (EngineHost host in hosts)
            {
                Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(!host.Kill.IsEngaged), Generous), "an engine on the cluster stayed halted after --clear");
            }
        }
        finally
        {
            foreach (EngineHost host in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }

    private static long BookTimeMs(RedisServer server, string key) =>
        long.TryParse(server.Cli("HGET", key, "ts").SingleOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long ts) ? ts : 0;

    private static string Config(string connection, string id) => EngineFixture.Sims().Replace("id: it", $"id: {id}") + $"""

        redis:
          connection: {connection}
          key_prefix: arbdeploy
        """;
}
