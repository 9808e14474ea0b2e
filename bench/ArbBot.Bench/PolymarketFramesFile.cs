using System.Globalization;
using System.Text;

namespace ArbBot.Bench;

/// <summary>
/// A file of Polymarket market-channel messages shaped like the venue's (77-digit token ids, the
/// fields in the venue's order, ~530 bytes a message): a <c>book</c> of each token, then
/// <c>price_change</c> messages of which 70% change both tokens of a market (the venue's usual
/// pair: a bid on one token and the matching ask on the other) and the rest one. What the quick
/// run times <c>--frames</c> on.
/// </summary>
internal static class PolymarketFramesFile
{
    public static string Write(string directory, int changes, int markets = 200, int seed = 11)
    {
        var random = new Random(seed);
        var tokens = new string[markets * 2];
        var sizes = new Dictionary<(int Token, bool Bid, int Cents), int>();
        var lines = new List<string>(changes + tokens.Length);
        for (int m = 0; m < markets; m++)
        {
            for (int o = 0; o < 2; o++)
            {
                int t = (m * 2) + o;
                tokens[t] = string.Create(CultureInfo.InvariantCulture, $"{random.NextInt64(1_000_000_000_000_000_000, long.MaxValue):D19}{random.NextInt64(1_000_000_000_000_000_000, long.MaxValue):D19}{random.NextInt64(1_000_000_000_000_000_000, long.MaxValue):D19}{random.NextInt64(1_000_000_000_000_000_000, long.MaxValue):D19}{random.Next(10)}");
                string bids = string.Join(",", Enumerable.Range(0, 10).Select(k => $"{{\"price\":\"0.{30 + k:D2}\",\"size\":\"100\"}}"));
                string asks = string.Join(",", Enumerable.Range(0, 10).Select(k => $"{{\"price\":\"0.{70 - k:D2}\",\"size\":\"100\"}}"));
                lines.Add($"{{\"event_type\":\"book\",\"asset_id\":\"{tokens[t]}\",\"market\":\"{Market(m)}\",\"bids\":[{bids}],\"asks\":[{asks}],\"timestamp\":\"1795300000000\",\"hash\":\"0\"}}");
            }
        }

        for (int i = 0; i < changes; i++)
        {
            int m = random.Next(markets);
            int yes = m * 2;
            int cents = 30 + random.Next(40);
            string size = random.Next(8) == 0 ? "0" : string.Create(CultureInfo.InvariantCulture, $"{random.Next(1, 5000)}.{random.Next(100):D2}");
            string first = Change(tokens[yes + random.Next(2)], cents, size, random.Next(2) == 0 ? "BUY" : "SELL");
            string body = random.Next(10) < 7
                ? first + "," + Change(tokens[yes + random.Next(2)], 100 - cents, size, random.Next(2) == 0 ? "BUY" : "SELL")
                : first;
            lines.Add($"{{\"market\":\"{Market(m)}\",\"price_changes\":[{body}],\"timestamp\":\"{1795300000000L + i}\",\"event_type\":\"price_change\"}}");
        }

        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, "polymarket-price-changes.jsonl");
        File.WriteAllLines(path, lines, new UTF8Encoding(false));
        return path;

        string Change(string token, int priceCents, string levelSize, string side) =>
            $"{{\"asset_id\":\"{token}\",\"price\":\"0.{priceCents:D2}\",\"size\":\"{levelSize}\",\"side\":\"{side}\",\"hash\":\"{random.NextInt64():x16}{random.NextInt64():x16}{random.Next():x8}\",\"best_bid\":\"0.{Math.Min(priceCents, 49):D2}\",\"best_ask\":\"0.{Math.Max(priceCents, 51):D2}\"}}";
    }

    private static string Market(int m) => string.Create(CultureInfo.InvariantCulture, $"0x{m:x8}{new string('a', 56)}");
}
