using System.Globalization;

namespace ArbBot.FakeVenues.Kalshi;

/// <summary>
/// One market's bids-only book as Kalshi keeps it: YES bids and NO bids, prices and sizes in
/// millionths. Moves at random without ever crossing, and matches V2 orders (a bid at a YES
/// price takes NO bids, an ask takes YES bids). Not thread-safe: the server locks around it.
/// </summary>
internal sealed class FakeKalshiBook
{
    private const long Cent = 10_000;
    private const long One = 1_000_000;
    private readonly Random _random;

    public FakeKalshiBook(string ticker, Random random)
    {
        Ticker = ticker;
        _random = random;
        long fair = 40 * Cent + (random.Next(0, 21) * Cent);
        for (int k = 0; k < 5; k++)
        {
            Yes[fair - Cent - (k * Cent)] = random.Next(10, 200) * One;
            No[One - fair - Cent - (k * Cent)] = random.Next(10, 200) * One;
        }
    }

    public string Ticker { get; }

    public string MarketId { get; } = Guid.NewGuid().ToString();

    /// <summary>YES bids: price -> size.</summary>
    public SortedDictionary<long, long> Yes { get; } = new();

    /// <summary>NO bids: price -> size.</summary>
    public SortedDictionary<long, long> No { get; } = new();

    /// <summary>Contracts traded so far (the ticker's volume).</summary>
    public long Volume { get; set; }

    /// <summary>The last trade's YES price (0 before any).</summary>
    public long LastYesPrice { get; set; }

    /// <summary>The top of book last told in a ticker.</summary>
    public (long YesBid, long YesAsk) TickerTop { get; set; }

    /// <summary>Best YES bid and YES ask (1 - best NO bid); 0 where a side is empty.</summary>
    public (long YesBid, long YesAsk) Top() => (Yes.Count > 0 ? Yes.Keys.Max() : 0, No.Count > 0 ? One - No.Keys.Max() : 0);

    /// <summary>A random change: a level grows or shrinks (maybe to nothing), or a new level appears behind the best.</summary>
    public (bool YesSide, long Price, long Delta) RandomChange()
    {
        bool yes = _random.Next(2) == 0;
        SortedDictionary<long, long> side = yes ? Yes : No;
        SortedDictionary<long, long> other = yes ? No : Yes;
        if (side.Count == 0 || _random.Next(8) == 0)
        {
            // A new level, never at or across the other side's complement.
            long best = other.Count == 0 ? 0 : other.Keys.Max();
            long ceiling = One - best - Cent;
            long price = Math.Clamp(ceiling - (_random.Next(0, 6) * Cent), Cent, 99 * Cent);
            if (price >= One - best)
            {
                return (yes, price, 0);
            }

            long size = _random.Next(5, 100) * One;
            side[price] = side.GetValueOrDefault(price) + size;
            return (yes, price, size);
        }

        long level = side.Keys.ElementAt(_random.Next(side.Count));
        long change = _random.Next(1, 40) * One * (_random.Next(3) == 0 ? 1 : -1);
        long now = side[level];
        if (now + change <= 0)
        {
            change = -now;
            side.Remove(level);
        }
        else
        {
            side[level] = now + change;
        }

        return (yes, level, change);
    }

    /// <summary>
    /// Takes liquidity for an order: <paramref name="bid"/> buys YES up to <paramref name="yesPrice"/>
    /// from the NO bids; an ask sells YES down to it into the YES bids. Returns the executions
    /// (YES price, size) and the book changes they made.
    /// </summary>
    public (List<(long YesPrice, long Size)> Fills, List<(bool YesSide, long Price, long Delta)> Changes) Take(bool bid, long yesPrice, long count, bool dryRun)
    {
        var fills = new List<(long, long)>();
        var changes = new List<(bool, long, long)>();
        SortedDictionary<long, long> contra = bid ? No : Yes;
        long left = count;
        foreach ((long price, long size) in contra.Reverse().ToList())
        {
            long execPrice = bid ? One - price : price; // on the YES scale
            bool crosses = bid ? execPrice <= yesPrice : execPrice >= yesPrice;
            if (!crosses || left == 0)
            {
                break;
            }

            long take = Math.Min(size, left);
            left -= take;
            fills.Add((execPrice, take));
            if (!dryRun)
            {
                if (size == take)
                {
                    contra.Remove(price);
                }
                else
                {
                    contra[price] = size - take;
                }

                changes.Add((!bid, price, -take));
            }
        }

        return (fills, changes);
    }

    public string SnapshotJson()
    {
        string yes = Yes.Count > 0 ? $",\"yes_dollars_fp\":{Levels(Yes)}" : ""; // an empty side is left out, as Kalshi does
        string no = No.Count > 0 ? $",\"no_dollars_fp\":{Levels(No)}" : "";
        return $"\"market_ticker\":\"{Ticker}\",\"market_id\":\"{MarketId}\"{yes}{no}";
    }

    public string OrderbookJson()
    {
        return $"{{\"orderbook_fp\":{{\"yes_dollars\":{Levels(Yes)},\"no_dollars\":{Levels(No)}}}}}";
    }

    /// <summary>Levels as Kalshi writes them: [["0.4200","13.00"], ...].</summary>
    private static string Levels(SortedDictionary<long, long> side) =>
        "[" + string.Join(",", side.Select(l => $"[\"{Dollars(l.Key)}\",\"{Count(l.Value)}\"]")) + "]";

    public static string Dollars(long micros) => (micros / 1_000_000m).ToString("0.0000", CultureInfo.InvariantCulture);

    public static string Count(long micros) => (micros / 1_000_000m).ToString("0.00", CultureInfo.InvariantCulture);
}
