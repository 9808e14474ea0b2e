using ArbBot.IntegrationTests.Support;

namespace ArbBot.IntegrationTests.EndToEnd;

/// <summary>Editing the strategies in <c>arbbot.yaml</c> under a running `arbbot run`, and a script's alerts on their way to Redis.</summary>
public sealed class StrategyConfigReloadTests
{
    /// <summary>Raises one warning on its first call, naming the pair it saw.</summary>
    private const string Watcher = """
        public sealed class Watcher : IStrategy
        {
            private bool _said;
            public void Initialize(IStrategySetup setup) { }
            public void OnBookUpdate(IStrategyContext context)
            {
                if (!_said)
                {
                    _said = true;
                    context.Alert(StrategyAlertLevel.Warning, "watcher saw " + context.Pair.EventId);
                }
            }
        }
        """;

    [Fact]
    public async Task A_strategy_added_to_the_config_while_running_starts_its_alert_reaches_the_redis_alerts_stream_and_a_bad_edit_is_refused_naming_file_and_line()
    {
        using RedisServer redis = RedisServer.StartNew();
        string dir = TestPaths.NewTempDirectory("config-reload");
        string watcher = Path.Combine(dir, "watcher.csx");
        File.WriteAllText(watcher, Watcher);
        string original = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "arbbot.yaml"))
            .Replace("connection: localhost:6379", $"connection: {redis.Connection}", StringComparison.Ordinal)
            .Replace("file: strategies/", $"file: {Path.Combine(TestPaths.RepoRoot, "strategies")}/", StringComparison.Ordinal);
        string config = Path.Combine(dir, "arbbot.yaml");
        File.WriteAllText(config, original);

        using ArbBotProcess run = ArbBotProcess.Start(dir, "run", "--config", config, "--no-watch-plugins");
        Assert.True(await run.WaitForErrorOutputAsync("redis mirror: connected to", TimeSpan.FromSeconds(90)), run.StandardError);
        Assert.True(await run.WaitForErrorOutputAsync("strategy maker_hedge started", TimeSpan.FromSeconds(90)), run.StandardError);

        // Added while running: it starts, and its alert reaches arb:alerts (and the log).
        string added = original.Replace("\nstrategies:\n", $"\nstrategies:\n  - file: {watcher}\n", StringComparison.Ordinal);
        File.WriteAllText(config, added);
        Assert.True(await run.WaitForErrorOutputAsync("strategy watcher added from", TimeSpan.FromSeconds(60)), run.StandardError);
        bool alerted = await EngineFixture.WaitUntil(() => Task.FromResult(redis.Cli("XRANGE", "arb:alerts", "-", "+").Any(line => line.StartsWith("watcher: watcher saw SIM-", StringComparison.Ordinal))),
            TimeSpan.FromSeconds(60));
        Assert.True(alerted, string.Join("\n", redis.Cli("XRANGE", "arb:alerts", "-", "+")) + "\n" + run.StandardError);
        List<string> entry = redis.Cli("XRANGE", "arb:alerts", "-", "+").ToList();
        int at = entry.FindIndex(line => line.StartsWith("watcher: watcher saw", StringComparison.Ordinal));
        Assert.Contains("strategy", entry.Take(at));

        // A bad edit: refused with file and line; the running set stays (the watcher is not stopped).
        string bad = added.Replace($"  - file: {watcher}\n", $"  - file: {watcher}\n    alerts_per_minut: 5\n", StringComparison.Ordinal);
        int badLine = bad[..bad.IndexOf("alerts_per_minut", StringComparison.Ordinal)].Count(c => c == '\n') + 1;
        File.WriteAllText(config, bad);
        Assert.True(await run.WaitForErrorOutputAsync($"config change not taken: {config}:{badLine}: unknown key", TimeSpan.FromSeconds(60)), run.StandardError);

        // Removed again: stopped.
        File.WriteAllText(config, original);
        Assert.True(await run.WaitForErrorOutputAsync("strategy watcher stopped", TimeSpan.FromSeconds(60)), run.StandardError);
        Assert.DoesNotContain("watcher stopped", run.StandardError[..run.StandardError.IndexOf("config change not taken", StringComparison.Ordinal)], StringComparison.Ordinal);

        run.Interrupt();
        Assert.Equal(0, await run.WaitForExitAsync(TimeSpan.FromSeconds(60)));
    }
}
