using ArbBot.FakeVenues.Kalshi;
using ArbBot.FakeVenues.Polymarket;

namespace ArbBot.IntegrationTests.Support;

/// <summary>
/// A shipped example config (examples/*-fake.yaml) pointed at fake servers started by the test:
/// their URLs, the Kalshi key id variable and key file, the Polymarket key file, state under the
/// test's folder, the repository's strategies, and Redis off.
/// </summary>
internal static class FakeVenueConfig
{
    /// <summary>The example's text with every address and file made the test's.</summary>
    public static string Rewrite(string example, FakeKalshiServer? kalshi, FakePolymarketServer? poly, string kalshiKeyEnv)
    {
        string yaml = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "examples", example));
        if (kalshi is not null)
        {
            yaml = yaml
                .Replace("http://127.0.0.1:8089/trade-api/v2", kalshi.RestUrl)
                .Replace("ws://127.0.0.1:8089/trade-api/ws/v2", kalshi.WebSocketUrl);
        }

        if (poly is not null)
        {
            yaml = yaml
                .Replace("ws://127.0.0.1:8090/ws/market", poly.MarketChannelUrl)
                .Replace("ws://127.0.0.1:8090/ws/user", poly.UserChannelUrl)
                .Replace("http://127.0.0.1:8090", poly.GammaUrl);
        }

        return yaml
            .Replace("api_key_id_env: KALSHI_API_KEY_ID", $"api_key_id_env: {kalshiKeyEnv}")
            .Replace("../.arbbot/fake-kalshi.pem", "key.pem")
            .Replace("../.arbbot/fake-polymarket.key", "poly.key")
            .Replace("../.arbbot/", ".arbbot/")
            .Replace("../strategies/", Path.Combine(TestPaths.RepoRoot, "strategies") + "/")
            .Replace("enabled: true", "enabled: false");
    }
}
