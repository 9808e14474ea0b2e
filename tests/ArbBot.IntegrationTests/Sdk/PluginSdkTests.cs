using System.Diagnostics;
using System.Text.RegularExpressions;
using ArbBot.IntegrationTests.Support;

namespace ArbBot.IntegrationTests.Sdk;

/// <summary>
/// A venue plugin written outside this repository, the way docs/plugins.md's "Write a venue plugin"
/// walks through it: the SDK packed into a folder feed (build/pack.sh), the template installed from
/// it, a plugin created in a temporary folder that builds against the packed ArbBot.Abstractions (no
/// project reference into the repo) and passes the packed conformance suite, then dropped into a
/// plugin search path where `arbbot plugins list` lists it and `arbbot run` streams its books.
/// </summary>
public sealed partial class PluginSdkTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task A_plugin_made_from_the_template_outside_the_repo_passes_the_conformance_suite_and_streams_in_arbbot()
    {
        string feed = TestPaths.NewTempDirectory("sdk-feed");
        string hive = TestPaths.NewTempDirectory("sdk-template-hive");
        string work = TestPaths.NewTempDirectory("sdk-plugin");
        Assert.False(work.StartsWith(TestPaths.RepoRoot, StringComparison.Ordinal), "the plugin must be made outside the repository");
        string configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        string version = $"0.1.0-ci.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}"; // a version no package cache has seen

        // 1. The packages, from this build, into a folder feed.
        (int code, string stdout, string stderr) = await ExternalCommand.RunAsync("bash", TestPaths.RepoRoot, Generous, new Dictionary<string, string> { ["CONFIGURATION"] = configuration },
            Path.Combine("build", "pack.sh"), feed, version, "--no-build");
        Assert.True(code == 0, $"pack failed ({code})\n{stdout}\n{stderr}");
        foreach (string package in new[] { "ArbBot.Abstractions", "ArbBot.Engine", "ArbBot.Venues.Toolkit", "ArbBot.Venues.Conformance", "ArbBot.Templates" })
        {
            Assert.True(File.Exists(Path.Combine(feed, $"{package}.{version}.nupkg")), $"{package} was not packed:\n{stdout}");
        }

        // 2. The template, installed from the feed into a hive of its own, makes a plugin named AcmeVenue.
        (code, stdout, stderr) = await ExternalCommand.RunAsync("dotnet", work, Generous, "new", "install", Path.Combine(feed, $"ArbBot.Templates.{version}.nupkg"), "--debug:custom-hive", hive);
        Assert.True(code == 0, $"template install failed ({code})\n{stdout}\n{stderr}");
        (code, stdout, stderr) = await ExternalCommand.RunAsync("dotnet", work, Generous, "new", "arbbot-venue", "-n", "AcmeVenue", "--feed", feed, "--sdk-version", version, "--debug:custom-hive", hive);
        Assert.True(code == 0, $"dotnet new arbbot-venue failed ({code})\n{stdout}\n{stderr}");
        string solution = Path.Combine(work, "AcmeVenue");
        string pluginProject = File.ReadAllText(Path.Combine(solution, "AcmeVenue", "AcmeVenue.csproj"));
        Assert.DoesNotContain("ProjectReference", pluginProject, StringComparison.Ordinal);
        Assert.Contains("Include=\"ArbBot.Abstractions\"", pluginProject, StringComparison.Ordinal);

        // 3. Its conformance tests build against the packed SDK and pass.
        (code, stdout, stderr) = await ExternalCommand.RunAsync("dotnet", solution, Generous, "test", "AcmeVenue.Tests", "-nologo");
        Assert.True(code == 0, $"the new plugin's conformance tests failed ({code})\n{stdout}\n{stderr}");
        Match summary = TestSummary().Match(stdout);
        Assert.True(summary.Success, stdout);
        Assert.Equal("0", summary.Groups["failed"].Value);
        Assert.True(int.Parse(summary.Groups["passed"].Value, System.Globalization.CultureInfo.InvariantCulture) >= 10, summary.Value); // the whole wire suite
        Assert.Contains(Path.Combine("ArbBot.Venues.Conformance", version), File.ReadAllText(Path.Combine(solution, "AcmeVenue.Tests", "obj", "project.assets.json")).Replace('/', Path.DirectorySeparatorChar), StringComparison.OrdinalIgnoreCase);

        // 4. Built and dropped into a plugin search path, arbbot lists it and streams its books from the fake venue.
        (code, stdout, stderr) = await ExternalCommand.RunAsync("dotnet", solution, Generous, "build", "AcmeVenue", "-c", "Release", "-nologo");
        Assert.True(code == 0, $"plugin build failed ({code})\n{stdout}\n{stderr}");
        string plugins = Path.Combine(work, "plugins", "AcmeVenue");
        Directory.CreateDirectory(plugins);
        foreach (string file in Directory.GetFiles(Path.Combine(solution, "AcmeVenue", "bin", "Release", "net10.0")))
        {
            File.Copy(file, Path.Combine(plugins, Path.GetFileName(file)));
        }

        Assert.False(File.Exists(Path.Combine(plugins, "ArbBot.Abstractions.dll")), "the plugin carries its own copy of the contract");
        Assert.True(File.Exists(Path.Combine(plugins, "ArbBot.Venues.Toolkit.dll")), "the plugin's network helpers are not beside it");
        int port = Ports.Free();
        using Process fake = await StartFakeVenueAsync(Path.Combine(solution, "AcmeVenue.FakeServer", "bin", "Debug", "net10.0", "AcmeVenue.FakeServer.dll"), port);
        try
        {
            File.WriteAllText(Path.Combine(work, "arbbot.yaml"), $"""
                engine:
                  id: sdk-check
                plugins:
                  search_paths: [plugins]
                venues:
                  - name: acme
                    plugin: acmevenue
                    settings: {"{"} url: "ws://127.0.0.1:{port}/ws", orders_url: "http://127.0.0.1:{port}" {"}"}
                pairs:
                  - event: E1
                    legs: {"{"} acme: AV-1 {"}"}
                  - event: E2
                    legs: {"{"} acme: AV-2 {"}"}
                redis:
                  enabled: false
                """);
            (code, stdout, stderr) = await ArbBotProcess.RunAsync(work, Generous, "plugins", "list");
            Assert.True(code == 0, stderr);
            Assert.Matches(@"acmevenue\s*│\s*1\.0\.0\s*│\s*BookStream, Trading", stdout);

            (code, stdout, stderr) = await ArbBotProcess.RunAsync(work, Generous, "run", "--duration", "6s", "--strict");
            Assert.True(code == 0, $"run failed ({code})\n{stderr}");
            string last = stdout.TrimEnd().Split('\n')[^1];
            Match venue = VenueLine().Match(last);
            Assert.True(venue.Success, last);
            Assert.True(long.Parse(venue.Groups["deltas"].Value, System.Globalization.CultureInfo.InvariantCulture) > 0, last);
            Assert.Contains("books 2, stale 0", last, StringComparison.Ordinal);
        }
        finally
        {
            fake.Kill(entireProcessTree: true);
        }
    }

    private static async Task<Process> StartFakeVenueAsync(string dll, int port)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { dll, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(arg);
        }

        var output = new System.Text.StringBuilder();
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // It answers HTTP once it listens (404 for a path it does not serve).
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        bool up = await Ports.WaitForStatusAsync(http, "/", System.Net.HttpStatusCode.NotFound, Generous);
        Assert.True(up, $"the fake venue did not start:\n{output}");
        return process;
    }

    [GeneratedRegex(@"Failed:\s+(?<failed>\d+), Passed:\s+(?<passed>\d+)")]
    private static partial Regex TestSummary();

    [GeneratedRegex(@"acme connected [\d.]+/s \((?<deltas>\d+) deltas")]
    private static partial Regex VenueLine();
}
