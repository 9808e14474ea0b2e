namespace ArbBot.IntegrationTests.Support;

/// <summary>Runs a script of tests/node (its packages installed by tests/run.sh with npm ci) and collects what it printed.</summary>
internal static class NodeScript
{
    public static readonly string Directory = Path.Combine(TestPaths.RepoRoot, "tests", "node");

    public static Task<(int Code, string Stdout, string Stderr)> RunAsync(TimeSpan timeout, params string[] args) =>
        ExternalCommand.RunAsync("node", Directory, timeout, args);
}
