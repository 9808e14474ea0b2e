using ArbBot.IntegrationTests.Support;

namespace ArbBot.IntegrationTests.Redis;

/// <summary>
/// A Redis that takes no writes must not look "connected": out of memory, a paused server and a refused password are
/// named in the run's summary, logged when they start (not on every retry), and the engine runs on.
/// </summary>
public sealed class RedisFailureStatesTests
{
    [Fact]
    public async Task A_redis_out_of_memory_is_named_in_the_summary_and_logged_without_a_flood()
    {
        using RedisServer redis = RedisServer.StartNew();
        redis.Cli("CONFIG", "SET", "maxmemory", "1"); // every write refused: OOM command not allowed when used memory > 'maxmemory'
        (int code, string stdout, string stderr) = await RunAsync("redis-oom", redis.Connection, passwordEnv: null);

        Assert.True(code == 0, $"exit {code}\n{stderr}");
        string last = stdout.TrimEnd().Split('\n')[^1];
        Assert.Contains("mirror out of memory: Redis refuses writes", last, StringComparison.Ordinal);
        int lines = stderr.Split('\n').Count(l => l.Contains("redis mirror:", StringComparison.Ordinal));
        Assert.True(lines <= 3, $"{lines} mirror log lines in 6 s:\n{stderr}");
    }

    [Fact]
    public async Task A_paused_redis_is_stalled_not_connected_and_the_mirror_says_when_writes_go_through_again()
    {
        using RedisServer redis = RedisServer.StartNew();
        string dir = TestPaths.NewTempDirectory("redis-paused");
        string config = WriteConfig(dir, redis.Connection, passwordEnv: null);
        using ArbBotProcess run = ArbBotProcess.Start(dir, "run", "--config", config, "--no-watch-plugins", "--no-watch-strategies");
        Assert.True(await run.WaitForErrorOutputAsync("redis mirror: connected to", TimeSpan.FromSeconds(90)), run.StandardError);

        redis.Pause();
        try
        {
            Assert.True(await run.WaitForErrorOutputAsync("redis mirror: stalled: writes time out", TimeSpan.FromSeconds(60)), run.StandardError);
        }
        finally
        {
            redis.Resume();
        }

        Assert.True(await run.WaitForErrorOutputAsync("succeed again after", TimeSpan.FromSeconds(60)), run.StandardError);
    }

    [Fact]
    public async Task A_refused_password_is_named_not_reported_as_no_redis_answering()
    {
        using RedisServer redis = RedisServer.StartNew();
        redis.Cli("CONFIG", "SET", "requirepass", "the-right-one");
        string variable = "ARBBOT_TEST_REDIS_PASSWORD_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, "a-wrong-one");
        try
        {
            (int code, string stdout, string stderr) = await RunAsync("redis-auth", redis.Connection, variable);
            Assert.True(code == 0, $"exit {code}\n{stderr}");
            Assert.Contains("refused the authentication", stdout.TrimEnd().Split('\n')[^1], StringComparison.Ordinal);
            Assert.Contains("refused the authentication (check redis.password_env)", stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("a-wrong-one", stdout + stderr, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    private static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string name, string connection, string? passwordEnv)
    {
        string dir = TestPaths.NewTempDirectory(name);
        string config = WriteConfig(dir, connection, passwordEnv);
        return ArbBotProcess.RunAsync(dir, TimeSpan.FromMinutes(2), "run", "--config", config, "--duration", "6s", "--no-watch-plugins", "--no-watch-strategies");
    }

    private static string WriteConfig(string dir, string connection, string? passwordEnv)
    {
        string yaml = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "arbbot.yaml"))
            .Replace("connection: localhost:6379", $"connection: {connection}" + (passwordEnv is null ? "" : $"\n  password_env: {passwordEnv}"), StringComparison.Ordinal)
            .Replace("file: strategies/", $"file: {Path.Combine(TestPaths.RepoRoot, "strategies")}/", StringComparison.Ordinal);
        string config = Path.Combine(dir, "arbbot.yaml");
        File.WriteAllText(config, yaml);
        return config;
    }
}
