using ArbBot.IntegrationTests.Support;

namespace ArbBot.IntegrationTests.EndToEnd;

/// <summary>
/// arbbot as a .NET tool, the way README's second way installs it: packed from this build into a
/// folder feed, installed from it into a folder of its own, `arbbot init` in an empty folder, and
/// `arbbot run` there on the simulated venues with the plugins, strategies and config that came in
/// the package (no file of the repository is used).
/// </summary>
public sealed class ToolInstallTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task The_packed_tool_installs_into_a_folder_writes_a_starter_and_runs_it_offline()
    {
        string feed = TestPaths.NewTempDirectory("tool-feed");
        string tools = TestPaths.NewTempDirectory("tool-path");
        string starter = Path.Combine(TestPaths.NewTempDirectory("tool-starter"), "my-arbbot");
        string configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

        (int code, string stdout, string stderr) = await ExternalCommand.RunAsync("dotnet", TestPaths.RepoRoot, Generous,
            "pack", Path.Combine("engine", "ArbBot.Cli", "ArbBot.Cli.csproj"), "-c", configuration, "--no-build", "-o", feed, "-nologo");
        Assert.True(code == 0, $"pack failed ({code})\n{stdout}\n{stderr}");
        string package = Assert.Single(Directory.GetFiles(feed, "arbbot.*.nupkg"));

        (code, stdout, stderr) = await ExternalCommand.RunAsync("dotnet", feed, Generous, "tool", "install", "--tool-path", tools, "arbbot", "--add-source", feed);
        Assert.True(code == 0, $"tool install failed ({code})\n{stdout}\n{stderr}");
        string arbbot = Path.Combine(tools, OperatingSystem.IsWindows() ? "arbbot.exe" : "arbbot");
        Assert.True(File.Exists(arbbot), $"{package} installed no arbbot command into {tools}\n{stdout}");

        (code, stdout, stderr) = await ExternalCommand.RunAsync(arbbot, tools, Generous, "init", starter);
        Assert.True(code == 0, $"init failed ({code})\n{stdout}\n{stderr}");
        string[] files = Directory.GetFiles(starter, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(starter, f)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["arbbot.yaml", "pairs.yaml", "strategies/basket.csx", "strategies/dutch_book.csx", "strategies/maker_hedge.csx", "strategies/same_market.csx"], files);
        (code, stdout, _) = await ExternalCommand.RunAsync(arbbot, tools, Generous, "init", starter);
        Assert.Equal(0, code);
        Assert.Contains("kept", stdout, StringComparison.Ordinal); // a second init leaves the user's files alone

        // From the starter folder, with nothing of the repository: both simulated venues stream, the four strategies run.
        (code, stdout, stderr) = await ExternalCommand.RunAsync(arbbot, starter, Generous, "run", "--duration", "10s");
        Assert.True(code == 0, $"run failed ({code})\n{stderr}");
        string last = stdout.TrimEnd().Split('\n')[^1];
        Assert.Contains("sim-kalshi connected", last, StringComparison.Ordinal);
        Assert.Contains("sim-poly connected", last, StringComparison.Ordinal);
        Assert.Matches(@"opportunities dutch_book \d+, same_market \d+, maker_hedge \d+, basket \d+;", last);
        Assert.Contains("stopped cleanly", stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(starter, ".arbbot", "arbbot.db")), "the state database was not made in the starter folder");
    }
}
