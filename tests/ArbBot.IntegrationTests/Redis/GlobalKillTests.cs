using ArbBot.Engine.Configuration;
using ArbBot.Engine.Hosting;
using ArbBot.Engine.Risk;
using ArbBot.Engine.Storage;
using ArbBot.Engine.Mirror;
using ArbBot.IntegrationTests.Support;

namespace ArbBot.IntegrationTests.Redis;

/// <summary>
/// Several engines on one real redis-server and the kill switch from anywhere: `arbbot kill` (a
/// process), the shared Redis key, an engine starting during a standing halt. Every engine obeys
/// each command, none consumes it for the others, and each acknowledges in Redis.
/// </summary>
public sealed class GlobalKillTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Arbbot_kill_halts_every_engine_on_the_redis_each_acknowledges_and_clear_releases_them_all()
    {
        using RedisServer redis = RedisServer.StartNew();
        var engines = new List<(EngineHost Host, string Config)>();
        try
        {
            foreach (string id in new[] { "g1", "g2", "g3" })
            {
                engines.Add(await StartAsync(redis, id));
            }

            await WaitForHeartbeatsAsync(redis, "g1", "g2", "g3");
            string dir = Path.GetDirectoryName(engines[0].Config)!;
            (int code, string stdout, string stderr) = await ArbBotProcess.RunAsync(dir, Generous, "kill", "--config", engines[0].Config, "--reason", "desk says stop", "--ack-timeout", "60s");
            Assert.True(code == 0, $"{stdout}\n{stderr}");
            Assert.Contains("global kill command 1 (halt)", stdout, StringComparison.Ordinal);
            foreach ((EngineHost host, string _) in engines)
            {
                Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(host.Kill.IsEngaged), Generous), "an engine did not halt");
                Assert.Equal("desk says stop", host.Kill.State!.Reason);
            }

            // Every engine acknowledged, in Redis and in `arbbot kill` (which waited for them).
            Assert.Matches(@"g1: kill switch halt[\s\S]*g2: kill switch halt[\s\S]*g3: kill switch halt", stdout);
            Assert.Equal("3", redis.Cli("HLEN", "{arbtest:kill}:acks").Single());
            (code, stdout, _) = await ArbBotProcess.RunAsync(dir, Generous, "kill", "--config", engines[0].Config, "--status");
            Assert.Equal(0, code);
            Assert.Contains("global kill: command 1 \"halt:desk says stop\"", stdout, StringComparison.Ordinal);
            Assert.Equal(3, stdout.Split('\n').Count(l => l.Contains("(running): applied command 1, kill switch halt", StringComparison.Ordinal)));
            Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(redis.Cli("HGET", "arbtest:engine:g2", "kill_generation").SingleOrDefault() == "1"), Generous),
                "the heartbeat does not say which global command the engine applied");

            (code, stdout, stderr) = await ArbBotProcess.RunAsync(dir, Generous, "kill", "--config", engines[0].Config, "--clear", "--ack-timeout", "60s");
            Assert.True(code == 0, $"{stdout}\n{stderr}");
            foreach ((EngineHost host, string _) in engines)
            {
                Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(!host.Kill.IsEngaged), Generous), "an engine stayed halted after --clear");
            }

            Assert.Matches(@"g1: kill switch off[\s\S]*g2: kill switch off[\s\S]*g3: kill switch off", stdout);

            // How long one global command takes to halt all three (printed: a figure, not a timed assertion).
            using StackExchange.Redis.ConnectionMultiplexer client = redis.Client();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await GlobalKill.SendAsync(client.GetDatabase(), new RedisKeys("arbtest"), "halt:timed", "test");
            Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(engines.All(e => e.Host.Kill.IsEngaged)), Generous), "not every engine halted");
            output.WriteLine($"one global kill command halted all three engines {clock.Elapsed.TotalMilliseconds:0} ms after it was sent (each engine polls every 200 ms)");
        }
        finally
        {
            foreach ((EngineHost host, string _) in engines)
            {
                await host.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task The_shared_key_reaches_every_engine_and_an_engine_started_during_a_halt_starts_halted()
    {
        using RedisServer redis = RedisServer.StartNew();
        var engines = new List<(EngineHost Host, string Config)>();
        try
        {
            engines.Add(await StartAsync(redis, "s1"));
            engines.Add(await StartAsync(redis, "s2"));
            await WaitForHeartbeatsAsync(redis, "s1", "s2");

            // Before, the first engine to read this key took it from the others.
            redis.Cli("SET", "arbtest:kill", "halt:lunch");
            foreach ((EngineHost host, string _) in engines)
            {
                Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(host.Kill.State is { Reason: "lunch" }), Generous), "an engine did not halt");
            }

            Assert.Equal("0", redis.Cli("EXISTS", "arbtest:kill").Single());
            Assert.Equal(["1", "halt:lunch"], redis.Cli("HMGET", "{arbtest:kill}:global", "generation", "command"));

            // A standing halt holds an engine that starts later (its own state database is empty).
            engines.Add(await StartAsync(redis, "s3"));
            Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(engines[2].Host.Kill.State is { Reason: "lunch", Source: "redis (global)" }), Generous),
                "an engine started during a global halt is not halted");
            Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult((redis.Cli("HGET", "{arbtest:kill}:acks", "s3").SingleOrDefault() ?? "").StartsWith("1 halt ", StringComparison.Ordinal)), Generous),
                "the late engine did not acknowledge");

            redis.Cli("SET", "arbtest:kill", "clear");
            foreach ((EngineHost host, string _) in engines)
            {
                Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(!host.Kill.IsEngaged), Generous), "an engine stayed halted after clear");
            }

            // A standing clear does not release an engine halted on its own host (`arbbot kill` without Redis) when it starts.
            string dir = TestPaths.NewTempDirectory("global-kill-s4");
            string config = WriteConfig(redis, "s4", dir);
            string database = ConfigLoader.Load(config).StateDatabasePath;
            Directory.CreateDirectory(Path.GetDirectoryName(database)!);
            KillSwitchStore.Write(database, new KillState(false, "this host only", "cli", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
            Assert.Equal(["2", "clear"], redis.Cli("HMGET", "{arbtest:kill}:global", "generation", "command"));
            EngineHost late = EngineFixture.Create(File.ReadAllText(config), dir);
            engines.Add((late, config));
            await late.StartAsync(CancellationToken.None);
            Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(redis.Cli("HGET", "arbtest:engine:s4", "kill_generation").SingleOrDefault() == "2"), Generous),
                "the late engine never read the global command");
            Assert.True(late.Kill.State is { Reason: "this host only" }, "a standing global clear released a halt engaged on the engine's own host");
        }
        finally
        {
            foreach ((EngineHost host, string _) in engines)
            {
                await host.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_kill_sent_after_redis_restarted_empty_is_obeyed_though_its_number_starts_again()
    {
        using RedisServer redis = RedisServer.StartNew();
        (EngineHost host, string _) = await StartAsync(redis, "r1");
        await using (host)
        {
            await WaitForHeartbeatsAsync(redis, "r1");
            redis.Cli("SET", "arbtest:kill", "halt:before");
            Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(host.Kill.State is { Reason: "before" }), Generous));
            redis.Cli("SET", "arbtest:kill", "clear");
            Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(!host.Kill.IsEngaged), Generous));
            Assert.Equal("2", redis.Cli("HGET", "{arbtest:kill}:global", "generation").Single());

            redis.Stop();
            redis.Start(); // empty: the next command is number 1 again
            Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(host.Mirror!.Status() is { State: "connected", Resyncs: >= 2 }), Generous), "the mirror did not reconnect");
            redis.Cli("SET", "arbtest:kill", "halt:after the restart");
            Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(host.Kill.State is { Reason: "after the restart" }), Generous),
                "a global kill numbered below the last one applied was ignored");
            Assert.Equal("1", redis.Cli("HGET", "{arbtest:kill}:global", "generation").Single());
        }
    }

    private static async Task<(EngineHost Host, string Config)> StartAsync(RedisServer redis, string id)
    {
        string dir = TestPaths.NewTempDirectory("global-kill-" + id);
        string config = WriteConfig(redis, id, dir);
        EngineHost host = EngineFixture.Create(File.ReadAllText(config), dir);
        await host.StartAsync(CancellationToken.None);
        return (host, config);
    }

    private static string WriteConfig(RedisServer redis, string id, string dir)
    {
        string yaml = EngineFixture.Sims().Replace("id: it", $"id: {id}") + $"""

            redis:
              connection: {redis.Connection}
              key_prefix: arbtest
            """;
        string path = Path.Combine(dir, "arbbot.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private static async Task WaitForHeartbeatsAsync(RedisServer redis, params string[] ids)
    {
        foreach (string id in ids)
        {
            Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(redis.Cli("EXISTS", $"arbtest:engine:{id}").Single() == "1"), Generous), $"no heartbeat from {id}");
        }
    }
}
