using System.Security.Cryptography;
using ArbBot.FakeVenues.Kalshi;
using ArbBot.FakeVenues.Polymarket;

namespace ArbBot.IntegrationTests.Support;

/// <summary>
/// The fake Kalshi and Polymarket servers serving the sample slate (tests/fixtures/pairing), with
/// a Kalshi key in <see cref="Directory"/> and its key id in an environment variable of its own,
/// and examples/pairing-fake.yaml pointed at them: what the discovery flows (pair, groups) run against.
/// </summary>
internal sealed class FakeSlate : IAsyncDisposable
{
    private FakeSlate(string directory, FakeKalshiServer kalshi, FakePolymarketServer polymarket, string keyEnv)
    {
        Directory = directory;
        Kalshi = kalshi;
        Polymarket = polymarket;
        KeyEnv = keyEnv;
    }

    public string Directory { get; }

    public FakeKalshiServer Kalshi { get; }

    public FakePolymarketServer Polymarket { get; }

    /// <summary>The environment variable holding the Kalshi key id.</summary>
    public string KeyEnv { get; }

    /// <summary>Starts both servers; <paramref name="beforeStart"/> may set what the Kalshi server says before it serves.</summary>
    public static async Task<FakeSlate> StartAsync(string directoryName, Action<FakeKalshiServer>? beforeStart = null)
    {
        string dir = TestPaths.NewTempDirectory(directoryName);
        (string privatePem, RSA publicKey) = FakeKalshiServer.NewKeyPair();
        ArbBot.FakeVenues.SecretFile.Write(Path.Combine(dir, "key.pem"), privatePem);
        string keyEnv = "ARBBOT_TEST_KALSHI_KEY_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(keyEnv, "fake-kalshi-key");
        string slate = Path.Combine(TestPaths.RepoRoot, "tests", "fixtures", "pairing");
        FakeKalshiServer kalshi = FakeKalshiServer.FromCatalog(Path.Combine(slate, "kalshi_markets.json"), publicKey, "fake-kalshi-key");
        FakePolymarketServer poly = FakePolymarketServer.FromCatalog(Path.Combine(slate, "polymarket_markets.json"));
        beforeStart?.Invoke(kalshi);
        await kalshi.StartAsync();
        await poly.StartAsync();
        return new FakeSlate(dir, kalshi, poly, keyEnv);
    }

    /// <summary>examples/pairing-fake.yaml pointed at these servers, written into <see cref="Directory"/>; returns its path.</summary>
    public string WriteConfig(string name, Func<string, string>? edit = null)
    {
        string path = Path.Combine(Directory, name);
        string yaml = FakeVenueConfig.Rewrite("pairing-fake.yaml", Kalshi, Polymarket, KeyEnv);
        File.WriteAllText(path, edit is null ? yaml : edit(yaml));
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        Environment.SetEnvironmentVariable(KeyEnv, null);
        await Kalshi.DisposeAsync();
        await Polymarket.DisposeAsync();
    }
}
