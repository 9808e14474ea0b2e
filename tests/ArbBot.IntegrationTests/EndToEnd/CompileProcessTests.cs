using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using ArbBot.IntegrationTests.Support;

namespace ArbBot.IntegrationTests.EndToEnd;

/// <summary>
/// `arbbot run` compiles strategies in a process of its own: the C# compiler's assemblies are never
/// mapped into the trading process, a hot reload goes through the (warm) compile process with
/// errors as file:line:column, and a compile process that dies is replaced by the next compile.
/// </summary>
public sealed partial class CompileProcessTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task The_engine_never_loads_the_compiler_and_a_killed_compile_process_is_replaced_on_the_next_reload()
    {
        string dir = TestPaths.NewTempDirectory("compile-process");
        string probe = Path.Combine(dir, "probe.csx");
        File.WriteAllText(probe, Probe("first"));
        string config = Path.Combine(dir, "arbbot.yaml");
        string yaml = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "arbbot.yaml"));
        yaml = StrategiesSection().Replace(yaml, $"\nstrategies:\n  - file: {probe}\n\n");
        Assert.Contains($"  - file: {probe}\n", yaml);
        File.WriteAllText(config, yaml);

        using ArbBotProcess run = ArbBotProcess.Start(dir, "run", "--config", config, "--no-watch-plugins");
        Assert.True(await run.WaitForErrorOutputAsync($"strategy probe started version", Generous), run.StandardError);
        Assert.Contains($"from {probe} (compiled in", run.StandardError); // a cold cache: compiled, not read
        Assert.True(await run.WaitForErrorOutputAsync("running 2 venues", Generous), run.StandardError); // the strategy files are watched from here

        string maps = File.ReadAllText($"/proc/{run.Id}/maps");
        Assert.DoesNotContain("Microsoft.CodeAnalysis", maps);
        Assert.DoesNotContain("libicu", maps); // invariant globalization: no ICU in the trading process
        Assert.Contains("start-up garbage collected before trading: heap", run.StandardError); // before "running": nothing waited for it
        int first = CompileServerOf(run.Id) ?? throw new Xunit.Sdk.XunitException("no compile-server child of the engine\n" + run.StandardError);

        // The compiler keeps the runtime's promotion delay (not the engine's zero): it optimises its own code as later
        // compiles use it, instead of spending seconds of CPU on it after each compile beside the engine.
        string[] environment = File.ReadAllText($"/proc/{first}/environ").Split('\0');
        Assert.Contains("DOTNET_TC_CallCountingDelayMs=100", environment);
        Assert.Contains("DOTNET_TC_QuickJit=1", environment);
        Assert.Contains("DOTNET_TieredPGO=0", environment); // nor profiled recompiles of Roslyn after a run of reloads

        // The compile process dies between compiles: the next edit is compiled by a new one.
        using (Process server = Process.GetProcessById(first))
        {
            server.Kill();
            Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(CompileServerOf(run.Id) is null), Generous), "the killed compile process is still there");
        }

        File.WriteAllText(probe, Probe("second").Replace("_said = true;", "_said = true; int broken = \"text\";", StringComparison.Ordinal));
        int brokenLine = File.ReadAllLines(probe).ToList().FindIndex(l => l.Contains("int broken", StringComparison.Ordinal)) + 1;
        Assert.True(await run.WaitForErrorOutputAsync($"{probe}:{brokenLine}:", Generous), run.StandardError);
        Assert.True(await run.WaitForErrorOutputAsync("strategy probe: the edited file does not compile; version", Generous), run.StandardError);
        int? second = CompileServerOf(run.Id);
        Assert.NotNull(second);
        Assert.NotEqual(first, second);

        File.WriteAllText(probe, Probe("third"));
        Assert.True(await run.WaitForErrorOutputAsync("strategy probe reloaded: version", Generous), run.StandardError);
        Assert.DoesNotContain("Microsoft.CodeAnalysis", File.ReadAllText($"/proc/{run.Id}/maps"));
        Assert.DoesNotContain("compiler process failed", run.StandardError);

        run.Interrupt();
        Assert.Equal(0, await run.WaitForExitAsync(Generous));
        Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(!File.Exists($"/proc/{second}/cmdline") || !File.ReadAllText($"/proc/{second}/cmdline").Contains("compile-server", StringComparison.Ordinal)), Generous),
            "the compile process outlived its engine");
    }

    [Fact]
    public void The_engine_runs_with_dynamic_pgo_promotes_hot_code_without_the_start_up_delay_and_loads_no_icu()
    {
        // Quick JIT with a profile, then optimised code that devirtualises and inlines through it (the engine's hot path:
        // up to 25% on replay, docs/performance.md); the delay of zero lets the hot path reach that code in its first events.
        using JsonDocument runtime = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(TestPaths.ArbBotDll, ".runtimeconfig.json")));
        JsonElement properties = runtime.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
        Assert.True(properties.GetProperty("System.Runtime.TieredPGO").GetBoolean());
        Assert.True(properties.GetProperty("System.Runtime.TieredCompilation.QuickJit").GetBoolean());
        Assert.True(properties.GetProperty("System.Runtime.TieredCompilation.QuickJitForLoops").GetBoolean());
        Assert.Equal(0, properties.GetProperty("System.Runtime.TieredCompilation.CallCountingDelayMs").GetInt32());
        Assert.True(properties.GetProperty("System.Globalization.Invariant").GetBoolean()); // no ICU: 6 MB of a 10,000-market run
    }

    /// <summary>A strategy whose text differs by <paramref name="mark"/>, so each edit is a new version.</summary>
    private static string Probe(string mark) => $$"""
        // {{mark}}
        public sealed class Probe : IStrategy
        {
            private bool _said;
            public void Initialize(IStrategySetup setup) { }
            public void OnBookUpdate(IStrategyContext context)
            {
                if (!_said)
                {
                    _said = true;
                }
            }
        }
        """;

    /// <summary>The process id of the engine's compile-server child, if it has one.</summary>
    private static int? CompileServerOf(int engine)
    {
        foreach (string folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out int pid))
            {
                continue;
            }

            try
            {
                string stat = File.ReadAllText(Path.Combine(folder, "stat"));
                string[] after = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // state, ppid, ...
                if (after[0] != "Z" && after[1] == engine.ToString(System.Globalization.CultureInfo.InvariantCulture)
                    && File.ReadAllText(Path.Combine(folder, "cmdline")).Contains("compile-server", StringComparison.Ordinal))
                {
                    return pid;
                }
            }
            catch (IOException)
            {
                // Gone while looking.
            }
        }

        return null;
    }

    [GeneratedRegex(@"\nstrategies:\n(?:[ #].*\n|\n)*")]
    private static partial Regex StrategiesSection();
}
