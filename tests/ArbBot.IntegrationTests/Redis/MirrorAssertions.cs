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
        List<(string Key, Dictionary<string, string> Fields, string[] Bids, string[] Asks)> expected = await host.Kernel.InvokeAsync(() =>
        {
            var books = new List<(string, Dictionary<string, string>, string[], string[])>();
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
                        ["seq"] = book.Sequence.ToString(),
                        ["epoch"] = book.Epoch.ToString(),
                        ["stale"] = book.IsStale ? "1" : "0",
                    };
                    string[] Levels(BookSide side) => Enumerable.Range(0, Math.Min(DepthLevels, book.LevelCount(outcome, side)))
                        .Select(l => book.GetLevel(outcome, side, l)).Select(l => $"{l.Price}:{l.Quantity}").ToArray();
                    string key = $"{prefix}:book:{book.VenueName}:{book.MarketId}:{outcome.ToWireName()}";
                    books.Add((key, fields, Levels(BookSide.Bid), Levels(BookSide.Ask)));
                }
            }

            return books;
        });

        var differences = new List<string>();
        foreach ((string key, Dictionary<string, string> fields, string[] bids, string[] asks) in expected)
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

            string depth = key.Replace(":book:", ":depth:");
            string[] storedBids = (await redis.SortedSetRangeByRankAsync(depth + ":bids", 0, -1, Order.Descending)).Select(v => v.ToString()).ToArray();
            string[] storedAsks = (await redis.SortedSetRangeByRankAsync(depth + ":asks", 0, -1, Order.Ascending)).Select(v => v.ToString()).ToArray();
            if (!bids.SequenceEqual(storedBids))
            {
                differences.Add($"{depth}:bids: engine [{string.Join(" ", bids)}], redis [{string.Join(" ", storedBids)}]");
            }

            if (!asks.SequenceEqual(storedAsks))
            {
                differences.Add($"{depth}:asks: engine [{string.Join(" ", asks)}], redis [{string.Join(" ", storedAsks)}]");
            }
        }

        return differences;
    }
}
