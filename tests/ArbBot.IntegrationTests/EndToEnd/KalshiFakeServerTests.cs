using System.Security.Cryptography;
using System.Text.RegularExpressions;
using ArbBot.FakeVenues.Kalshi;
using ArbBot.IntegrationTests.Support;

namespace ArbBot.IntegrationTests.EndToEnd;

/// <summary>`arbbot run` with the Kalshi plugin DLL pointed at the fake Kalshi server, as README tells users to try it.</summary>
public sealed partial class KalshiFakeServerTests
{
    [Fact]
    public async Task Arbbot_run_streams_live_kalshi_books_from_the_fake_server()
    {
        string dir = TestPaths.NewTempDirectory("kalshi-run");
        (string privatePem, RSA publicKey) = FakeKalshiServer.NewKeyPair();
        File.WriteAllText(Path.Combine(dir, "key.pem"), privatePem);
        string keyEnv = "ARBBOT_TEST_KALSHI_KEY_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(keyEnv, "fake-kalshi-key"); // the arbbot process inherits it
        await using var server = new FakeKalshiServer(["FAKE-E01", "FAKE-E02"], publicKey, "fake-kalshi-key", deltasPerSecond: 300);
        await server.StartAsync();

        // The shipped example, pointed at this server's port and this key.
        string yaml = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "examples", "kalshi-fake.yaml"))
            .Replace("http://127.0.0.1:8089/trade-api/v2", server.RestUrl)
            .Replace("ws://127.0.0.1:8089/trade-api/ws/v2", server.WebSocketUrl)
            .Replace("api_key_id_env: KALSHI_API_KEY_ID", $"api_key_id_env: {keyEnv}")
            .Replace("../.arbbot/fake-kalshi.pem", "key.pem")
            .Replace("../.arbbot/", ".arbbot/")
            .Replace("../strategies/", Path.Combine(TestPaths.RepoRoot, "strategies") + "/")
            .Replace("enabled: true", "enabled: false");
        yaml = Regex.Replace(yaml, @"  - event: FAKE-E0[34]\n    legs: \{ kalshi: FAKE-E0[34] \}\n", "");
        string config = Path.Combine(dir, "kalshi.yaml");
        File.WriteAllText(config, yaml);
        try
        {
            (int code, string stdout, string stderr) = await ArbBotProcess.RunAsync(dir, TimeSpan.FromSeconds(120), "run", "--config", config, "--duration", "6s", "--no-watch-plugins", "--no-watch-strategies");
            Assert.True(code == 0, $"exit {code}\nstdout:\n{stdout}\nstderr:\n{stderr}");
            string last = stdout.TrimEnd().Split('\n')[^1];
            Match kalshi = KalshiLine().Match(last);
            Assert.True(kalshi.Success, last);
            Assert.True(long.Parse(kalshi.Groups["deltas"].Value) > 100, last);
            Assert.Contains("books 2, stale 0", last);
            Assert.Contains("orders via kalshi paper (live books)", stdout);
            Assert.Equal(0, server.OrdersReceived); // paper mode: nothing reaches the venue
            Assert.Equal(0, server.Unauthorized);
            Assert.DoesNotContain("fake-kalshi-key", stderr + stdout); // the key id is never logged
        }
        finally
        {
            Environment.SetEnvironmentVariable(keyEnv, null);
        }
    }

    [GeneratedRegex(@"kalshi connected \d+/s \((?<deltas>\d+) deltas, 0 stale\)")]
    private static partial Regex KalshiLine();
}
