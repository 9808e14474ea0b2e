using ArbBot.IntegrationTests.Support;
using ArbBot.Tests.Strategies;

namespace ArbBot.IntegrationTests.EndToEnd;

/// <summary>
/// The red-team strategies against the real `arbbot` processes: `arbbot check` refuses every attack
/// naming its file and line, and `arbbot run` with the attacks that compile (unbounded recursion,
/// an endless loop, an error on every call, a static list growing 20 MB a call) keeps running, disables each, and ends by itself.
/// </summary>
public sealed class RedTeamEngineTests
{
    [Fact]
    public async Task Arbbot_check_refuses_every_attack_naming_its_file_and_line()
    {
        string dir = TestPaths.NewTempDirectory("redteam-check");
        var files = new List<string>();
        foreach (var attack in RedTeamStrategies.Refused)
        {
            string file = Path.Combine(dir, $"{attack.Category}-{attack.Name.Replace(' ', '-')}.csx");
            File.WriteAllText(file, RedTeamStrategies.Source(attack));
            files.Add(file);
        }

        (int code, string stdout, string stderr) = await ArbBotProcess.RunAsync(dir, TimeSpan.FromMinutes(3), ["check", .. files]);
        Assert.Equal(1, code);
        string output = stdout + stderr;
        foreach (string file in files)
        {
            Assert.True(output.Contains(file + ":", StringComparison.Ordinal), $"{Path.GetFileName(file)} not reported\n{output}");
        }
    }

    [Fact]
    public async Task Arbbot_run_contains_strategies_that_recurse_forever_loop_forever_always_throw_or_hoard_memory()
    {
        string dir = TestPaths.NewTempDirectory("redteam-run");
        var entries = new List<string>();
        foreach (var attack in RedTeamStrategies.Contained)
        {
            string file = Path.Combine(dir, $"{attack.Name.Replace(' ', '_').Replace('-', '_')}.csx");
            File.WriteAllText(file, RedTeamStrategies.Source(attack));
            entries.Add($"  - file: {file}");
        }

        string yaml = System.Text.RegularExpressions.Regex.Replace(
            File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "arbbot.yaml")),
            @"\nstrategies:.*?(?=\n# Every intent group)", "\nstrategies:\n" + string.Join("\n", entries) + "\n", System.Text.RegularExpressions.RegexOptions.Singleline)
            .Replace("enabled: true", "enabled: false", StringComparison.Ordinal);
        string config = Path.Combine(dir, "arbbot.yaml");
        File.WriteAllText(config, yaml);

        string[] containments =
        [
            "InsufficientExecutionStackException", // the recursion ended in an exception, not a dead process
            "budget",                              // the endless loop was stopped at its budget
            "always",
            "disabled until the file changes",
            "MB (allocation_budget_mb 16); disabled until the file changes, its code and static state unloaded",
        ];
        (int code, string stdout, string stderr) = await ArbBotProcess.RunUntilAsync(dir, run => containments.All(c => run.StandardError.Contains(c, StringComparison.Ordinal)), TimeSpan.FromMinutes(3),
            "run", "--config", config, "--no-watch-plugins", "--no-watch-strategies");
        Assert.True(code == 0, $"exit {code}\n{stderr}");
        foreach (string containment in containments)
        {
            Assert.Contains(containment, stderr, StringComparison.Ordinal);
        }

        System.Text.RegularExpressions.Match peak = System.Text.RegularExpressions.Regex.Match(stderr, @"peak memory (\d+) MB");
        Assert.True(peak.Success && int.Parse(peak.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) < 1024, $"peak memory: {peak.Value}\n{stderr}");
    }

    [Fact]
    public async Task A_stuck_kernel_engages_the_kill_switch_and_the_run_exits_3_for_its_supervisor()
    {
        string dir = TestPaths.NewTempDirectory("redteam-stuck");
        string file = Path.Combine(dir, "stuck.csx");
        File.WriteAllText(file, RedTeamStrategies.Source(RedTeamStrategies.StuckKernel));
        string yaml = System.Text.RegularExpressions.Regex.Replace(
            File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "arbbot.yaml")),
            @"\nstrategies:.*?(?=\n# Every intent group)", $"\nstrategies:\n  - file: {file}\n", System.Text.RegularExpressions.RegexOptions.Singleline)
            .Replace("enabled: true", "enabled: false", StringComparison.Ordinal)
            .Replace("engine:\n", "engine:\n  stuck_after: 2s\n", StringComparison.Ordinal);
        string config = Path.Combine(dir, "arbbot.yaml");
        File.WriteAllText(config, yaml);

        // --duration is only the bound: without the watchdog the run would end there with exit 0.
        (int code, _, string stderr) = await ArbBotProcess.RunAsync(dir, TimeSpan.FromMinutes(3), "run", "--config", config, "--duration", "90s", "--no-watch-plugins", "--no-watch-strategies");
        Assert.True(code == 3, $"exit {code}\n{stderr}");
        Assert.Contains("the kernel thread has handled nothing for", stderr, StringComparison.Ordinal);

        (code, string status, _) = await ArbBotProcess.RunAsync(dir, TimeSpan.FromMinutes(1), "kill", "--config", config, "--status");
        Assert.Equal(0, code);
        Assert.Contains("by watchdog", status, StringComparison.Ordinal); // the restarted engine stays halted until an operator clears it
    }
}
