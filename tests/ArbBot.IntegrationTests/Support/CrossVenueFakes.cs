using System.Security.Cryptography;
using ArbBot.FakeVenues.Kalshi;
using ArbBot.FakeVenues.Polymarket;

namespace ArbBot.IntegrationTests.Support;

/// <summary>The fake Kalshi and Polymarket servers both cross-venue examples point at, and the example config rewritten for them.</summary>
internal sealed class CrossVenueFakes : IAsyncDisposable
{
    public static readonly (string Condition, string Yes, string No)[] PolyMarkets =
        [("0xfake01", "900011", "900012"), ("0xfake02", "900021", "900022"), ("0xfake03", "900031", "900032"), ("0xfake04", "900041", "900042")];

    private readonly string _keyEnv;

    private CrossVenueFakes(string directory, string config, string keyEnv, FakeKalshiServer kalshi, FakePolymarketServer poly)
    {
        (Directory, Config, _keyEnv, Kalshi, Poly) = (directory, config, keyEnv, kalshi, poly);
    }

    public string Directory { get; }

    public string Config { get; }

    public FakeKalshiServer Kalshi { get; }

    public FakePolymarketServer Poly { get; }

    /// <summary>Starts both fakes (the Polymarket CLOB trading for <paramref name="trading"/>'s account when given) and writes the example config for them.</summary>
    public static async Task<CrossVenueFakes> StartAsync(string name, string example, (FakeClobAccount Account, string PrivateKey)? trading)
    {
        string dir = TestPaths.NewTempDirectory(name);
        (string privatePem, RSA publicKey) = FakeKalshiServer.NewKeyPair();
        ArbBot.FakeVenues.SecretFile.Write(Path.Combine(dir, "key.pem"), privatePem);
        string keyEnv = "ARBBOT_TEST_KALSHI_KEY_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(keyEnv, "fake-kalshi-key");
        var kalshi = new FakeKalshiServer(["FAKE-E01", "FAKE-E02", "FAKE-E03", "FAKE-E04"], publicKey, "fake-kalshi-key", deltasPerSecond: 200);
        var poly = new FakePolymarketServer(PolyMarkets, changesPerSecond: 200);
        if (trading is { } t)
        {
            ArbBot.FakeVenues.SecretFile.Write(Path.Combine(dir, "poly.key"), t.PrivateKey);
            poly.EnableTrading(t.Account);
        }

        await kalshi.StartAsync();
        await poly.StartAsync();
        string config = Path.Combine(dir, Path.GetFileNameWithoutExtension(example) + ".test.yaml");
        File.WriteAllText(config, FakeVenueConfig.Rewrite(example, kalshi, poly, keyEnv));
        return new CrossVenueFakes(dir, config, keyEnv, kalshi, poly);
    }

    public async ValueTask DisposeAsync()
    {
        Environment.SetEnvironmentVariable(_keyEnv, null);
        await Kalshi.DisposeAsync();
        await Poly.DisposeAsync();
    }
}
