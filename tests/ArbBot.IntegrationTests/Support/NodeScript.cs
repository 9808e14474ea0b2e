using System.Diagnostics;

namespace ArbBot.IntegrationTests.Support;

/// <summary>Runs a script of tests/node (its packages installed by tests/run.sh with npm ci) and collects what it printed.</summary>
internal static class NodeScript
{
    public static readonly string Directory = Path.Combine(TestPaths.RepoRoot, "tests", "node");

    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(TimeSpan timeout, params string[] args)
    {
        var info = new ProcessStartInfo("node") { WorkingDirectory = Directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(info)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cancel.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
