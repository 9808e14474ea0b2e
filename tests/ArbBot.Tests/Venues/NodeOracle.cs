using System.Diagnostics;
using System.Text.Json;
using ArbBot.Tests.Configuration;

namespace ArbBot.Tests.Venues;

/// <summary>Runs one of the official-client oracle scripts of tests/node (offline) on an input and returns what it printed as JSON.</summary>
internal static class NodeOracle
{
    /// <summary>Runs <c>node SCRIPT INPUT.json</c> in tests/node; <paramref name="package"/> must be installed there (tests/run.sh installs it).</summary>
    public static JsonElement Run(string script, string package, object input)
    {
        string node = Path.Combine(ConfigLoaderTests.RepoRoot(), "tests", "node");
        Assert.True(Directory.Exists(Path.Combine(node, "node_modules", package)),
            $"{package} is not installed: run the tests through tests/run.sh, which runs npm ci in tests/node");
        string inputPath = Path.Combine(Path.GetTempPath(), $"arbbot-oracle-{Guid.NewGuid():N}.json");
        File.WriteAllText(inputPath, JsonSerializer.Serialize(input));
        try
        {
            var info = new ProcessStartInfo("node") { WorkingDirectory = node, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            info.ArgumentList.Add(script);
            info.ArgumentList.Add(inputPath);
            using Process process = Process.Start(info)!;
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "the official client did not finish");
            Assert.True(process.ExitCode == 0, $"the official client failed: {stderr.Result}");
            return JsonDocument.Parse(stdout.Result).RootElement.Clone();
        }
        finally
        {
            File.Delete(inputPath);
        }
    }
}
