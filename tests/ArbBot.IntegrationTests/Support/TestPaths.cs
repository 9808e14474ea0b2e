namespace ArbBot.IntegrationTests.Support;

/// <summary>Where the built artefacts are, found from the test's own output folder.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The Sim plugin as the build ships it (copied beside the tests by BundledPlugins.targets).</summary>
    public static string SimPluginDll => Path.Combine(AppContext.BaseDirectory, "plugins", "ArbBot.Venues.Sim", "ArbBot.Venues.Sim.dll");

    public static string PluginsDirectory => Path.Combine(AppContext.BaseDirectory, "plugins");

    /// <summary>The built arbbot.dll of the same configuration as the tests.</summary>
    public static string ArbBotDll
    {
        get
        {
            // tests/ArbBot.IntegrationTests/bin/<Configuration>/net10.0/ -> engine/ArbBot.Cli/bin/<Configuration>/net10.0/arbbot.dll
            string tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;
            string configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
            return Path.Combine(RepoRoot, "engine", "ArbBot.Cli", "bin", configuration, tfm, "arbbot.dll");
        }
    }

    public static string NewTempDirectory(string name)
    {
        string dir = Path.Combine(Path.GetTempPath(), "arbbot-tests", $"{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string FindRepoRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "ArbBot.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("ArbBot.sln not found above " + AppContext.BaseDirectory);
    }
}
