using System.Text.Json;
using ArbBot.IntegrationTests.Support;

namespace ArbBot.IntegrationTests.EndToEnd;

/// <summary><c>arbbot check</c> for editors and hooks: JSON per file, a watch mode, and the compile cache <c>arbbot run</c> starts from.</summary>
public sealed class CheckCommandTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(90);
    private readonly string _dir = TestPaths.NewTempDirectory("check");

    private const string Good = """
        #load "helper.csx"
        public sealed class Quiet : IStrategy
        {
            public void Initialize(IStrategySetup setup) { }
            public void OnBookUpdate(IStrategyContext context) { _ = Helper.Name(); }
        }
        """;

    [Fact]
    public async Task Json_gives_one_object_per_file_with_errors_as_file_line_column_and_the_checked_version_is_what_run_starts_from()
    {
        string good = Path.Combine(_dir, "quiet.csx");
        File.WriteAllText(Path.Combine(_dir, "helper.csx"), "public static class Helper { public static string Name() => \"h\"; }");
        File.WriteAllText(good, Good);
        string bad = Path.Combine(_dir, "bad.csx");
        File.WriteAllText(bad, "public sealed class Bad : IStrategy\n{\n    public void Initialize(IStrategySetup setup) { }\n    public void OnBookUpdate(IStrategyContext c) { c.Emit(null, 1); }\n}\n");
        string config = Path.Combine(_dir, "arbbot.yaml");
        File.WriteAllText(config, EngineFixture.Sims() + $"\nstrategies:\n  - file: {good}\n");

        (int code, string stdout, string stderr) = await ArbBotProcess.RunAsync(_dir, Generous, "check", good, bad, "--json", "--config", config);
        Assert.True(code == 1, stdout + stderr);
        JsonElement[] lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(2, lines.Length);
        Assert.Equal((good, true, 0), (lines[0].GetProperty("file").GetString(), lines[0].GetProperty("ok").GetBoolean(), lines[0].GetProperty("errors").GetArrayLength()));
        string version = lines[0].GetProperty("version").GetString()!;
        JsonElement error = Assert.Single(lines[1].GetProperty("errors").EnumerateArray());
        Assert.False(lines[1].GetProperty("ok").GetBoolean());
        Assert.Equal((bad, 4, 54, "CS1501"), (error.GetProperty("file").GetString(), error.GetProperty("line").GetInt32(), error.GetProperty("column").GetInt32(), error.GetProperty("id").GetString()));

        // What check compiled is in the config's cache: run takes the strategy from it.
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(_dir, ".arbbot", "cache"), "*.dll"));
        (int runCode, _, string runLog) = await ArbBotProcess.RunAsync(_dir, Generous, "run", "--config", config, "--duration", "1s", "--no-watch-strategies", "--no-watch-plugins");
        Assert.True(runCode == 0, runLog);
        Assert.Contains($"strategy quiet started version {version} from {good} (compile cache)", runLog, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_checks_again_when_a_file_or_its_load_helper_changes_until_interrupted()
    {
        string file = Path.Combine(_dir, "quiet.csx");
        string helper = Path.Combine(_dir, "helper.csx");
        File.WriteAllText(helper, "public static class Helper { public static string Name() => \"h\"; }");
        File.WriteAllText(file, Good);
        using ArbBotProcess watch = ArbBotProcess.Start(_dir, "check", file, "--watch", "--json");
        List<JsonElement> Results() => watch.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(Results().Count == 1), Generous), watch.StandardOutput + watch.StandardError);
        Assert.True(Results()[0].GetProperty("ok").GetBoolean());

        // The helper breaks: the strategy that #loads it is checked again and fails on the helper's line.
        SaveAsAnEditorDoes(helper, "public static class Helper\n{\n    public static string Name() => 42;\n}\n");
        Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(Results().Any(r => !r.GetProperty("ok").GetBoolean())), Generous), watch.StandardOutput + watch.StandardError);
        JsonElement failed = Results().First(r => !r.GetProperty("ok").GetBoolean());
        JsonElement error = failed.GetProperty("errors")[0];
        Assert.Equal((file, helper, 3), (failed.GetProperty("file").GetString(), error.GetProperty("file").GetString(), error.GetProperty("line").GetInt32()));

        // Fixed again: ok.
        SaveAsAnEditorDoes(helper, "public static class Helper { public static string Name() => \"h2\"; }");
        Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(Results()[^1].GetProperty("ok").GetBoolean() && Results().Count >= 3), Generous), watch.StandardOutput + watch.StandardError);

        watch.Interrupt();
        Assert.Equal(0, await watch.WaitForExitAsync(Generous));
    }

    /// <summary>Writes a temporary file and renames it over the old one, so no check can read a half-written file.</summary>
    private static void SaveAsAnEditorDoes(string path, string text)
    {
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }
}
