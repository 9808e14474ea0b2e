using System.Globalization;
using System.Text.RegularExpressions;
using ArbBot.IntegrationTests.Support;

namespace ArbBot.IntegrationTests.EndToEnd;

/// <summary>The `arbbot` command run as a separate process, the way the README tells users to run it.</summary>
public sealed partial class CommandLineTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);
    private readonly string _dir = TestPaths.NewTempDirectory("cli");

    [Fact]
    public async Task Run_with_the_default_config_streams_both_sim_venues_and_stops_by_itself()
    {
        string config = Path.Combine(TestPaths.RepoRoot, "arbbot.yaml");
        (int code, string stdout, string stderr) = await ArbBotProcess.RunAsync(_dir, Generous, "run", "--config", config, "--duration", "4s");

        Assert.True(code == 0, $"exit {code}\nstdout:\n{stdout}\nstderr:\n{stderr}");
        string last = stdout.TrimEnd().Split('\n')[^1];
        Match kalshi = VenueLine().Match(last[last.IndexOf("sim-kalshi", StringComparison.Ordinal)..]);
        Match poly = VenueLine().Match(last[last.IndexOf("sim-poly", StringComparison.Ordinal)..]);
        Assert.True(kalshi.Success && poly.Success, last);
        Assert.True(long.Parse(kalshi.Groups["deltas"].Value, CultureInfo.InvariantCulture) > 100, last);
        Assert.True(long.Parse(poly.Groups["deltas"].Value, CultureInfo.InvariantCulture) > 100, last);
        Assert.Contains("books 52, stale 0", last); // 20 events and 2 outcome groups of 3, on two venues
        Assert.True(Regex.IsMatch(last, @"opportunities dutch_book \d+, same_market \d+, maker_hedge \d+, basket \d+;"), $"{last}\n{stderr}"); // all four loaded and running
        Assert.Contains("strategy dutch_book started version", stderr);
        Assert.Contains("stopped cleanly", stderr);
        Assert.True(File.Exists(Path.Combine(_dir, "logs", "arbbot.log")), "the rolling log file was not written");
    }

    [Fact]
    public async Task The_default_config_trades_baskets_over_the_sim_venues_outcome_groups()
    {
        // The shipped config as it is, its state in this test's folder: run until a basket attempt has ended, then Ctrl+C.
        string config = Path.Combine(_dir, "arbbot.yaml");
        File.WriteAllText(config, File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "arbbot.yaml"))
            .Replace("file: strategies/", $"file: {Path.Combine(TestPaths.RepoRoot, "strategies")}/", StringComparison.Ordinal)
            .Replace("enabled: true", "enabled: false", StringComparison.Ordinal));
        string database = Path.Combine(_dir, ".arbbot", "arbbot.db");
        const string EndedBaskets = "SELECT COUNT(*) FROM attempts WHERE kind = 'basket' AND status <> 'working'";

        (int code, string stdout, string stderr) = await ArbBotProcess.RunUntilAsync(_dir, _ => File.Exists(database) && Count(database, EndedBaskets) > 0,
            TimeSpan.FromSeconds(240), "run", "--config", config, "--no-watch-strategies");

        Assert.True(code == 0, $"exit {code}\n{stderr}");
        string last = stdout.TrimEnd().Split('\n')[^1];
        Match basket = Regex.Match(last, @"basket (?<n>\d+);");
        Assert.True(basket.Success && long.Parse(basket.Groups["n"].Value, CultureInfo.InvariantCulture) > 0, last);
        Assert.True(Count(database, EndedBaskets) > 0, $"no basket was sent\n{last}");

        // Every basket is one outcome side, in one size, on each of one group's three outcomes; one that filled whole locked in a positive edge.
        Assert.Equal(0, Count(database, "SELECT COUNT(*) FROM attempts WHERE kind = 'basket' AND (event NOT IN ('SIM-G01', 'SIM-G02') OR legs <> 3)"));
        Assert.Equal(0, Count(database, "SELECT COUNT(*) FROM attempts a WHERE a.kind = 'basket' AND (SELECT COUNT(DISTINCT o.outcome || o.size_micros) FROM orders o WHERE o.group_id = a.group_id) <> 1"));
        Assert.Equal(0, Count(database, "SELECT COUNT(*) FROM attempts WHERE kind = 'basket' AND status = 'filled' AND realised_edge_micros <= 0"));
    }

    [Fact]
    public async Task Ctrl_c_shuts_down_cleanly_with_a_final_summary()
    {
        using ArbBotProcess process = ArbBotProcess.Start(_dir, "run", "--config", Path.Combine(TestPaths.RepoRoot, "arbbot.yaml"));
        Assert.True(await process.WaitForErrorOutputAsync("running 2 venues", Generous), process.StandardError);
        Assert.True(await process.WaitForErrorOutputAsync("venue sim-poly started", Generous), process.StandardError); // streaming, then interrupted
        process.Interrupt();

        int code = await process.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.True(code == 0, $"exit {code}\n{process.StandardError}");
        Assert.Contains("stopped cleanly", process.StandardError);
        Assert.Matches(VenueLine(), process.StandardOutput);
    }

    [Fact]
    public async Task A_state_database_that_cannot_be_opened_is_one_clear_line_and_exit_2()
    {
        string blocker = Path.Combine(_dir, "not-a-folder");
        File.WriteAllText(blocker, "a file where the state database's folder should be");
        string config = Path.Combine(_dir, "unwritable-state.yaml");
        File.WriteAllText(config, File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "arbbot.yaml"))
            .Replace("state_db: .arbbot/arbbot.db", $"state_db: {blocker}/arbbot.db", StringComparison.Ordinal)
            .Replace("file: strategies/", $"file: {Path.Combine(TestPaths.RepoRoot, "strategies")}/", StringComparison.Ordinal)
            .Replace("enabled: true", "enabled: false", StringComparison.Ordinal));

        (int code, string stdout, string stderr) = await ArbBotProcess.RunAsync(_dir, Generous, "run", "--config", config, "--duration", "5s");
        Assert.True(code == 2, $"exit {code}\n{stderr}");
        Assert.Contains($"{blocker}/arbbot.db: cannot open the fill log", stderr, StringComparison.Ordinal);
        Assert.Contains($"(execution.state_db in {config})", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal); // no stack trace
    }

    [Fact]
    public async Task A_bad_config_exits_2_naming_file_line_and_key()
    {
        string config = Path.Combine(_dir, "bad.yaml");
        File.WriteAllText(config, "engine:\n  id: x\nvenus: []\n");
        (int code, _, string stderr) = await ArbBotProcess.RunAsync(_dir, Generous, "run", "--config", config, "--duration", "1s");
        Assert.Equal(2, code);
        Assert.Contains($"{config}:3: unknown key venus", stderr);
    }

    [Fact]
    public async Task A_configured_strategy_that_cannot_start_exits_2_before_anything_trades_unless_allowed()
    {
        // The shipped config with one strategy file missing and another that does not compile.
        string broken = Path.Combine(_dir, "broken.csx");
        File.WriteAllText(broken, "public sealed class Broken : IStrategy { public void Initialize(IStrategySetup s) { } public void OnBookUpdate(IStrategyContext c) { int x = ; } }");
        string config = Path.Combine(_dir, "strategies-broken.yaml");
        File.WriteAllText(config, File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "arbbot.yaml"))
            .Replace("file: strategies/dutch_book.csx", $"file: {Path.Combine(_dir, "missing.csx")}", StringComparison.Ordinal)
            .Replace("file: strategies/same_market.csx", $"file: {broken}", StringComparison.Ordinal)
            .Replace("file: strategies/", $"file: {Path.Combine(TestPaths.RepoRoot, "strategies")}/", StringComparison.Ordinal)
            .Replace("state_db: .arbbot/arbbot.db", "state_db: broken-state/arbbot.db", StringComparison.Ordinal)
            .Replace("enabled: true", "enabled: false", StringComparison.Ordinal));

        (int code, string stdout, string stderr) = await ArbBotProcess.RunAsync(_dir, Generous, "run", "--config", config, "--duration", "5s", "--no-watch-strategies");
        Assert.True(code == 2, $"exit {code}\n{stderr}");
        Assert.Contains("2 configured strategies cannot start", stderr);
        Assert.Contains("missing.csx:1:1: error ARB011: strategy file not found", stderr);
        Assert.Contains("broken.csx:1:", stderr);
        Assert.Contains("--allow-broken-strategies", stderr);
        Assert.DoesNotContain("opportunity", stderr); // nothing ran

        (code, stdout, stderr) = await ArbBotProcess.RunAsync(_dir, Generous, "run", "--config", config, "--duration", "1s", "--no-watch-strategies", "--allow-broken-strategies");
        Assert.True(code == 0, $"exit {code}\n{stderr}");
        Assert.Contains("maker_hedge", stdout); // the strategy that could start ran
    }

    [Fact]
    public async Task A_missing_config_exits_2()
    {
        (int code, _, string stderr) = await ArbBotProcess.RunAsync(_dir, Generous, "run", "--config", "nope.yaml");
        Assert.Equal(2, code);
        Assert.Contains("nope.yaml:0: config file not found", stderr);
    }

    [Fact]
    public async Task A_bad_duration_exits_2()
    {
        (int code, _, string stderr) = await ArbBotProcess.RunAsync(_dir, Generous, "run", "--duration", "soon");
        Assert.Equal(2, code);
        Assert.Contains("--duration must be a positive duration", stderr);
    }

    [Fact]
    public async Task Plugins_list_shows_the_bundled_sim_plugin()
    {
        (int code, string stdout, string stderr) = await ArbBotProcess.RunAsync(_dir, Generous, "plugins", "list", "--settings");
        Assert.True(code == 0, stderr);
        Assert.Matches(@"sim\s+│\s+\d+\.\d+\.\d+", stdout);
        Assert.Contains("BookStream, Trading, MakerOrders, Fees", stdout);
        Assert.Contains("updates_per_second = 200", stdout);
    }

    [Fact]
    public async Task Bench_refuses_an_unknown_benchmark_naming_the_choices()
    {
        (int code, _, string stderr) = await ArbBotProcess.RunAsync(_dir, Generous, "bench", "--only", "everything");
        Assert.Equal(1, code);
        Assert.Contains("--only must be one of book, kalshi, polymarket, polymarket-file, signing, wire, floor, scale, memory, strategies, mirror, replay, was \"everything\"", stderr);
    }

    [Fact]
    public async Task Check_compiles_the_shipped_strategies()
    {
        string[] files = Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "strategies"), "*.csx");
        Assert.Equal(4, files.Length);
        (int code, string stdout, string stderr) = await ArbBotProcess.RunAsync(_dir, Generous, ["check", .. files]);
        Assert.True(code == 0, stderr);
        Assert.Equal(4, stdout.Split('\n').Count(l => l.Contains(": ok (version ")));
    }

    [Fact]
    public async Task A_venue_that_cannot_load_is_named_in_the_summary_and_with_strict_stops_the_run_with_exit_2()
    {
        string config = Path.Combine(_dir, "one-missing.yaml");
        File.WriteAllText(config, File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "arbbot.yaml"))
            .Replace("file: strategies/", $"file: {Path.Combine(TestPaths.RepoRoot, "strategies")}/", StringComparison.Ordinal)
            .Replace("\nvenues:\n", "\nvenues:\n  - name: nowhere\n    plugin: ArbBot.Venues.NoSuchPlugin\n", StringComparison.Ordinal));

        (int code, string stdout, string stderr) = await ArbBotProcess.RunAsync(_dir, Generous, "run", "--config", config, "--duration", "3s", "--no-watch-strategies", "--no-watch-plugins");
        Assert.True(code == 0, $"exit {code}\n{stderr}");
        Assert.Matches(@"^\[[^\]]+\] NOT RUNNING: nowhere \(see the log\); ", stdout.TrimEnd().Split('\n')[^1]);
        Assert.Contains("ArbBot.Venues.NoSuchPlugin", stderr, StringComparison.Ordinal);

        (int strict, _, string why) = await ArbBotProcess.RunAsync(_dir, Generous, "run", "--config", config, "--duration", "3s", "--strict", "--no-watch-strategies", "--no-watch-plugins");
        Assert.Equal(2, strict);
        Assert.Contains("not every configured venue could start (--strict or engine.strict_venues), so nothing runs:", why, StringComparison.Ordinal);
        Assert.Contains("  nowhere: ", why, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_reports_errors_as_file_line_column_and_exits_1()
    {
        string good = Path.Combine(TestPaths.RepoRoot, "strategies", "same_market.csx");
        string bad = Path.Combine(_dir, "bad.csx");
        File.WriteAllText(bad, "public sealed class Bad : IStrategy\n{\n    public void Initialize(IStrategySetup setup) { }\n    public void OnBookUpdate(IStrategyContext c) { c.Emit(null, 1); }\n}\n");
        (int code, string stdout, string stderr) = await ArbBotProcess.RunAsync(_dir, Generous, "check", good, bad);
        Assert.Equal(1, code);
        Assert.Contains($"{bad}:4:54: error CS1501: No overload for method 'Emit' takes 2 arguments", stderr);
        Assert.Contains("1 of 2 file(s) have errors", stderr);
        Assert.Contains("same_market.csx: ok", stdout);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("run --help")]
    [InlineData("plugins list --help")]
    [InlineData("check --help")]
    [InlineData("kill --help")]
    [InlineData("report fills --help")]
    public async Task Help_is_everywhere(string args)
    {
        (int code, string stdout, _) = await ArbBotProcess.RunAsync(_dir, Generous, args.Split(' '));
        Assert.Equal(0, code);
        Assert.Contains("Usage:", stdout);
    }

    [Fact]
    public async Task An_unknown_command_fails()
    {
        (int code, _, _) = await ArbBotProcess.RunAsync(_dir, Generous, "fly");
        Assert.NotEqual(0, code);
    }

    private static long Count(string database, string sql)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=false");
        connection.Open();
        using Microsoft.Data.Sqlite.SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        try
        {
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            return 0; // the engine has not made its tables yet
        }
    }

    [GeneratedRegex(@"sim-(kalshi|poly) connected \d+/s \((?<deltas>\d+) deltas, 0 stale\)")]
    private static partial Regex VenueLine();
}
