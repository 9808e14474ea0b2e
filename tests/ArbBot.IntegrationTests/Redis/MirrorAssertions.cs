using System.Globalization;
using ArbBot.Abstractions.Markets;
using ArbBot.Engine.Books;
using ArbBot.Engine.Hosting;
using StackExchange.Redis;

namespace ArbBot.IntegrationTests.Redis;

/// <summary>Compares every book the engine holds with what the mirror wrote to Redis.</summary>
internal static class MirrorAssertions
{
    public const int DepthLevels = 5;

    public static async Task<List<string>> DifferencesAsync(EngineHost host, IDatabase redis, string prefix)
    {
        List<(string Key, Dictionary<string, string> Fields)> expected = await host.Kernel.InvokeAsync(() =>
        {
            var books = new List<(string, Dictionary<string, string>)>();
            for (int i = 0; i < host.Kernel.Books.Count; i++)
            {
                MarketBook book = host.Kernel.Books[new MarketHandle(i)];
                foreach (Outcome outcome in new[] { Outcome.Yes, Outcome.No })
                {
                    bool hasBid = book.TryGetBestBid(outcome, out PriceLevel bid);
                    bool hasAsk = book.TryGetBestAsk(outcome, out PriceLevel ask);
                    var fields = new Dictionary<string, string>
                    {
                        ["bid"] = hasBid ? bid.Price.ToString() : "",
                        ["bid_size"] = hasBid ? bid.Quantity.ToString() : "",
                        ["ask"] = hasAsk ? ask.Price.ToString() : "",
                        ["ask_size"] = hasAsk ? ask.Quantity.ToString() : "",
                        ["seq"] = book.Sequence.ToString(CultureInfo.InvariantCulture),
                        ["epoch"] = book.Epoch.ToString(CultureInfo.InvariantCulture),
                        ["stale"] = book.IsStale ? "1" : "0",
                        ["bids"] = string.Join(" ", Levels(BookSide.Bid)),
                        ["asks"] = string.Join(" ", Levels(BookSide.Ask)),
                    };
                    string key = $"{prefix}:book:{book.VenueName}:{book.MarketId}:{outcome.ToWireName()}";
                    books.Add((key, fields));

                    string[] Levels(BookSide side) => Enumerable.Range(0, Math.Min(DepthLevels, book.LevelCount(outcome, side)))
                        .Select(l => book.GetLevel(outcome, side, l)).Select(l => $"{l.Price}:{l.Quantity}").ToArray();
                }
            }

            return books;
        });

        var differences = new List<string>();
        foreach ((string key, Dictionary<string, string> fields) in expected)
        {
            HashEntry[] stored = await redis.HashGetAllAsync(key);
            if (stored.Length == 0)
            {
                differences.Add($"{key}: missing");
                continue;
            }

            var actual = stored.ToDictionary(e => e.Name.ToString(), e => e.Value.ToString());
            foreach ((string field, string value) in fields)
            {
                if (!actual.TryGetValue(field, out string? got) || got != value)
                {
                    differences.Add($"{key} {field}: engine {value}, redis {got}");
                }
            }

        }

        return differences;
    }
}
