using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using ArbBot.FakeVenues.Kalshi;
using ArbBot.IntegrationTests.Support;

namespace ArbBot.IntegrationTests.EndToEnd;

/// <summary>`arbbot` as a process with the Kalshi plugin DLL pointed at the fake Kalshi server, as README tells users to try it.</summary>
public sealed partial class KalshiFakeServerTests
{
    [Fact]
    public async Task Arbbot_run_streams_live_kalshi_books_from_the_fake_server()
    {
        await using FakeKalshiSetup setup = await FakeKalshiSetup.StartAsync("kalshi-run", ["FAKE-E01", "FAKE-E02"], deltasPerSecond: 300);
        (int code, string stdout, string stderr) = await ArbBotProcess.RunUntilAsync(setup.Directory, run => Streamed(run.LastOutputLine), TimeSpan.FromSeconds(120), "run", "--config", setup.Config, "--no-watch-plugins", "--no-watch-strategies");
        Assert.True(code == 0, $"exit {code}\nstdout:\n{stdout}\nstderr:\n{stderr}");
        string last = stdout.TrimEnd().Split('\n')[^1];
        Match kalshi = KalshiLine().Match(last);
        Assert.True(kalshi.Success, last);
        Assert.True(long.Parse(kalshi.Groups["deltas"].Value, CultureInfo.InvariantCulture) > 100, last);
        Assert.Contains("books 2, stale 0", last);
        Assert.Contains("orders via kalshi paper (live books)", stdout);
        Assert.Equal(0, setup.Server.OrdersReceived); // paper mode: nothing reaches the venue
        Assert.Equal(0, setup.Server.Unauthorized);
        Assert.DoesNotContain("fake-kalshi-key", stderr + stdout); // the key id is never logged
    }

    [Fact]
    public async Task Arbbot_run_catches_a_book_that_silently_drifted_from_the_venue_and_resyncs_it()
    {
        await using FakeKalshiSetup setup = await FakeKalshiSetup.StartAsync("kalshi-drift", ["FAKE-E01", "FAKE-E02"], deltasPerSecond: 40);

        // The server loses one removal of a best level without a sequence gap; only its ticker tells.
        File.WriteAllText(setup.Config, File.ReadAllText(setup.Config)
            .Replace(setup.Server.WebSocketUrl, setup.Server.WebSocketUrl + "?drift_after=20")
            .Replace("engine:\n", "engine:\n  drift_check: 1s\n"));
        (int code, string stdout, string stderr) = await ArbBotProcess.RunUntilAsync(setup.Directory, run => setup.Server.DriftedDeltas == 1 && Resynced(run.LastOutputLine), TimeSpan.FromSeconds(120),
            "run", "--config", setup.Config, "--no-watch-plugins", "--no-watch-strategies");
        Assert.True(code == 0, $"exit {code}\nstdout:\n{stdout}\nstderr:\n{stderr}");
        Assert.Equal(1, setup.Server.DriftedDeltas);
        string last = stdout.TrimEnd().Split('\n')[^1];
        Match kalshi = KalshiLine().Match(last);
        Assert.True(kalshi.Success && kalshi.Groups["drifts"].Success && kalshi.Groups["trades"].Success, last);
        Assert.True(long.Parse(kalshi.Groups["drifts"].Value, CultureInfo.InvariantCulture) >= 1, last);
        Assert.True(long.Parse(kalshi.Groups["trades"].Value, CultureInfo.InvariantCulture) > 0, last);
        Assert.Contains("book drifted: the venue's ticker says YES", stdout + stderr);
        Assert.Contains("books 2, stale 0", last); // the fresh snapshot put it right
    }

    [Fact]
    public async Task A_feed_that_goes_silent_while_connected_makes_its_books_stale_and_health_say_so_until_it_is_heard_again()
    {
        await using FakeKalshiSetup setup = await FakeKalshiSetup.StartAsync("kalshi-silent", ["FAKE-E01", "FAKE-E02"], deltasPerSecond: 100);
        File.WriteAllText(setup.Config, File.ReadAllText(setup.Config).Replace("engine:\n", "engine:\n  silent_after: 1s\n", StringComparison.Ordinal));
        int port = Ports.Free();
        using ArbBotProcess run = ArbBotProcess.Start(setup.Directory, "run", "--config", setup.Config, "--no-watch-plugins", "--no-watch-strategies", "--http", $"127.0.0.1:{port}");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        Assert.True(await Ports.WaitForStatusAsync(http, "/health", System.Net.HttpStatusCode.OK, TimeSpan.FromSeconds(90)), $"never healthy\n{run.StandardError}");

        // The venue hangs with its connection open: "connected", but nothing arrives.
        setup.Server.Frozen = true;
        Assert.True(await Ports.WaitForStatusAsync(http, "/health", System.Net.HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(60)), $"silence not noticed\n{run.StandardError}");
        HttpResponseMessage unhealthy = await http.GetAsync("/health");
        Assert.Contains("venue kalshi is silent", await unhealthy.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(await run.WaitForErrorOutputAsync("no message from kalshi for 1 s", TimeSpan.FromSeconds(30)), run.StandardError);

        // Heard again: fresh books, healthy.
        setup.Server.Frozen = false;
        Assert.True(await Ports.WaitForStatusAsync(http, "/health", System.Net.HttpStatusCode.OK, TimeSpan.FromSeconds(60)), $"never healthy again\n{run.StandardError}");
        Assert.True(await run.WaitForErrorOutputAsync("kalshi is heard again", TimeSpan.FromSeconds(30)), run.StandardError);
    }

    [Fact]
    public async Task Arbbot_markets_list_shows_the_venues_markets_through_the_plugin()
    {
        await using FakeKalshiSetup setup = await FakeKalshiSetup.StartAsync("kalshi-markets", ["FAKE-E01", "FAKE-E02", "OTHER-X"], deltasPerSecond: 200);
        (int code, string stdout, string stderr) = await ArbBotProcess.RunAsync(setup.Directory, TimeSpan.FromSeconds(60), "markets", "list", "--config", setup.Config, "--venue", "kalshi", "--series", "FAKE", "--json");
        Assert.True(code == 0, $"exit {code}\nstdout:\n{stdout}\nstderr:\n{stderr}");
        using var listed = System.Text.Json.JsonDocument.Parse(stdout.Trim().Split('\n')[^1]);
        string[] ids = listed.RootElement.EnumerateArray().Select(m => m.GetProperty("market").GetString()!).ToArray();
        Assert.Equal(["FAKE-E01", "FAKE-E02"], ids);
        System.Text.Json.JsonElement first = listed.RootElement[0];
        Assert.Equal(("E01", "Not E01", "0.01", "FAKE quadratic x1.00"), (first.GetProperty("yes").GetString(), first.GetProperty("no").GetString(), first.GetProperty("tick_size").GetString(), first.GetProperty("fees").GetString()));

        (code, stdout, stderr) = await ArbBotProcess.RunAsync(setup.Directory, TimeSpan.FromSeconds(60), "markets", "list", "--config", setup.Config, "--venue", "kalshi");
        Assert.True(code == 0, $"exit {code}\nstdout:\n{stdout}\nstderr:\n{stderr}");
        Assert.Contains("3 markets", stdout);
        Assert.Contains("OTHER-X", stdout);

        (code, _, stderr) = await ArbBotProcess.RunAsync(setup.Directory, TimeSpan.FromSeconds(60), "markets", "list", "--config", setup.Config, "--venue", "polymarket");
        Assert.Equal(2, code);
        Assert.Contains("no venue named polymarket (configured: kalshi)", stderr);
        Assert.Equal(0, setup.Server.Unauthorized);
        Assert.DoesNotContain("fake-kalshi-key", stderr + stdout);
    }

    /// <summary>A summary line showing more than 100 deltas streamed into 2 fresh books.</summary>
    private static bool Streamed(string line) =>
        KalshiLine().Match(line) is { Success: true } kalshi && long.Parse(kalshi.Groups["deltas"].Value, CultureInfo.InvariantCulture) > 100 && line.Contains("books 2, stale 0", StringComparison.Ordinal);

    /// <summary>A summary line showing a drift caught, trades seen and both books fresh again.</summary>
    private static bool Resynced(string line) =>
        KalshiLine().Match(line) is { Success: true } kalshi && kalshi.Groups["drifts"].Success && kalshi.Groups["trades"].Success
        && long.Parse(kalshi.Groups["drifts"].Value, CultureInfo.InvariantCulture) >= 1 && long.Parse(kalshi.Groups["trades"].Value, CultureInfo.InvariantCulture) > 0
        && line.Contains("books 2, stale 0", StringComparison.Ordinal);

    [GeneratedRegex(@"kalshi connected \d+/s \((?<deltas>\d+) deltas, 0 stale(, (?<trades>\d+) trades)?(, (?<drifts>\d+) drifted)?\)")]
    private static partial Regex KalshiLine();

    /// <summary>
    /// A fake Kalshi server with a fresh key pair, the key id in an environment variable the
    /// arbbot process inherits, and the shipped example config pointed at both (two of its pairs).
    /// </summary>
    private sealed class FakeKalshiSetup : IAsyncDisposable
    {
        private readonly string _keyEnv;

        private FakeKalshiSetup(string directory, FakeKalshiServer server, string keyEnv, string config)
        {
            Directory = directory;
            Server = server;
            _keyEnv = keyEnv;
            Config = config;
        }

        public string Directory { get; }

        public FakeKalshiServer Server { get; }

        public string Config { get; }

        public static async Task<FakeKalshiSetup> StartAsync(string name, string[] tickers, int deltasPerSecond)
        {
            string dir = TestPaths.NewTempDirectory(name);
            (string privatePem, RSA publicKey) = FakeKalshiServer.NewKeyPair();
            ArbBot.FakeVenues.SecretFile.Write(Path.Combine(dir, "key.pem"), privatePem);
            string keyEnv = "ARBBOT_TEST_KALSHI_KEY_" + Guid.NewGuid().ToString("N");
            Environment.SetEnvironmentVariable(keyEnv, "fake-kalshi-key");
            var server = new FakeKalshiServer(tickers, publicKey, "fake-kalshi-key", deltasPerSecond);
            await server.StartAsync();
            string yaml = FakeVenueConfig.Rewrite("kalshi-fake.yaml", server, null, keyEnv);
            yaml = Regex.Replace(yaml, @"  - event: FAKE-E0[34]\n    legs: \{ kalshi: FAKE-E0[34] \}\n", "");
            string config = Path.Combine(dir, "kalshi.yaml");
            File.WriteAllText(config, yaml);
            return new FakeKalshiSetup(dir, server, keyEnv, config);
        }

        public async ValueTask DisposeAsync()
        {
            Environment.SetEnvironmentVariable(_keyEnv, null);
            await Server.DisposeAsync();
        }
    }
}
