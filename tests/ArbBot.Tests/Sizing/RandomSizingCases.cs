using System.Diagnostics;
using ArbBot.Abstractions.Events;
using ArbBot.Abstractions.Fees;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Sizing;
using ArbBot.Abstractions.Strategies;
using ArbBot.Engine.Books;
using ArbBot.Engine.Orders;
using ArbBot.Engine.Strategies;

namespace ArbBot.Tests.Sizing;

/// <summary>
/// Random sizing problems on real engine books: dutch books across two books, same-market pairs
/// on one book, YES baskets over three or four books and NO baskets over three to five (paying N - 1 per set); bids-only (asks mirrored from the other
/// outcome's bids) and two-sided books; 0.01 and 0.001 ticks; whole, two-decimal and
/// sub-contract sizes and thin top levels; no fees, Kalshi multipliers 0-1 and Polymarket rates
/// 0-0.04; best asks summing to within a few cents of $1 either way, so many cases sit near a threshold.
/// </summary>
internal static class RandomSizingCases
{
    public static (SizingCase Case, SizingLeg[] Legs, SizingRules Rules) Build(int seed)
    {
        var r = new Random(seed);
        int kind = r.Next(12);
        (int Book, bool Yes)[] spec = kind switch
        {
            < 5 => [(0, true), (1, false)],        // dutch book across two books
            < 8 => [(0, true), (0, false)],        // same market, one book
            < 10 => Enumerable.Range(0, 3 + r.Next(2)).Select(b => (b, true)).ToArray(), // a YES basket over an event's outcomes
            _ => Enumerable.Range(0, 3 + r.Next(3)).Select(b => (b, false)).ToArray(),  // a NO basket: N - 1 of N pay
        };
        int bookCount = spec.Max(s => s.Book) + 1;
        long payout = kind < 10 ? 1_000_000 : (spec.Length - 1) * 1_000_000L;

        // Best asks summing to 0.93 .. 1.01 of the payout, split at random between the legs.
        long sum = (930_000 + (r.Next(81) * 1_000)) * (payout / 1_000_000);
        long[] weights = spec.Select(_ => (long)r.Next(300, 1_300)).ToArray();
        long total = weights.Sum();

        var books = new BookStore();
        var inventory = new Inventory();
        var clock = new EventClock(TimeProvider.System);
        var caseLegs = new List<SizingCaseLeg>();
        var views = new IBookView[bookCount];
        var asksByLeg = new (long Price, long Quantity)[spec.Length][];
        var styles = new BookStyle[bookCount];
        var ticks = new long[bookCount];
        var fees = new SizingCaseFee[bookCount];
        for (int b = 0; b < bookCount; b++)
        {
            styles[b] = r.Next(2) == 0 ? BookStyle.BidsOnly : BookStyle.TwoSided;
            ticks[b] = r.Next(3) == 0 ? 1_000 : 10_000;
            fees[b] = RandomFee(r);
        }

        for (int i = 0; i < spec.Length; i++)
        {
            long tick = ticks[spec[i].Book];
            long best = sum * weights[i] / total / tick * tick;
            best = Math.Clamp(best, tick, 1_000_000 - tick);
            asksByLeg[i] = RandomAsks(r, best, tick);
            caseLegs.Add(new SizingCaseLeg(spec[i].Book, spec[i].Yes, asksByLeg[i], fees[spec[i].Book]));
        }

        for (int b = 0; b < bookCount; b++)
        {
            MarketHandle handle = books.Register(b, $"venue{b}", $"M{b}", styles[b]);
            MarketBook book = books[handle];
            book.Fees = Model(fees[b]);
            PriceLevel[] yesAsks = Levels(spec, asksByLeg, b, yes: true);
            PriceLevel[] noAsks = Levels(spec, asksByLeg, b, yes: false);
            BookSnapshot snapshot = styles[b] == BookStyle.TwoSided
                ? new BookSnapshot(handle, 0, 0, Stopwatch.GetTimestamp(), [], yesAsks, [], noAsks, Price.FromMicros(ticks[b]))
                : new BookSnapshot(handle, 0, 0, Stopwatch.GetTimestamp(), Mirror(noAsks), [], Mirror(yesAsks), [], Price.FromMicros(ticks[b])); // bids-only: an ask of YES is a NO bid at 1 - price
            books.ApplySnapshot(snapshot, Stopwatch.GetTimestamp());
            views[b] = new BookView(book, inventory, clock);
        }

        long minEdge = Pick(r, [0, 10_000, 50_000, 100_000, 500_000, 1_000_000, 3_000_000], () => r.Next(200) * 10_000L);
        long bps = Pick(r, [0, 10, 50, 100, 200], () => r.Next(500));
        long slippage = Pick(r, [0, 10_000, 20_000, 50_000], () => r.Next(100) * 1_000L);
        long maxContracts = Pick(r, [500_000_000], () => r.Next(3) == 0 ? r.Next(1, 600) * 500_000L : r.Next(1, 600) * 1_000_000L);
        long maxOrder = Pick(r, [1_000_000_000], () => r.Next(1, 500) * 1_000_000L);
        var sizingCase = new SizingCase(seed, caseLegs, minEdge, bps, slippage, maxContracts, maxOrder, payout);
        var legs = spec.Select(s => new SizingLeg(views[s.Book], s.Yes ? Outcome.Yes : Outcome.No)).ToArray();
        var rules = new SizingRules(Money.FromMicros(minEdge), bps, Price.FromMicros(slippage), Quantity.FromMicros(maxContracts), Money.FromMicros(maxOrder));
        return (sizingCase, legs, rules);
    }

    private static SizingCaseFee RandomFee(Random r) => r.Next(3) switch
    {
        0 => new SizingCaseFee(FeeKind.None, 0, 0),
        1 => new SizingCaseFee(FeeKind.Kalshi, 70_000, Pick(r, [1_000_000, 500_000, 250_000, 0], () => r.Next(101) * 10_000L)),
        _ => new SizingCaseFee(FeeKind.Polymarket, Pick(r, [20_000, 30_000, 40_000], () => r.Next(41) * 1_000L), 1_000_000),
    };

    private static IFeeModel Model(SizingCaseFee fee) => fee.Kind switch
    {
        FeeKind.Kalshi => new KalshiFeeModel(Price.FromMicros(fee.MultiplierMicros), makerFees: false),
        FeeKind.Polymarket => new PolymarketFeeModel(Price.FromMicros(fee.RateMicros)),
        _ => NoFees.Instance,
    };

    /// <summary>One to six ask levels from the best up, one to three ticks apart.</summary>
    private static (long Price, long Quantity)[] RandomAsks(Random r, long best, long tick)
    {
        int count = r.Next(1, 7);
        var asks = new List<(long, long)>();
        long price = best;
        for (int i = 0; i < count && price < 1_000_000; i++)
        {
            asks.Add((price, RandomSize(r)));
            price += tick * r.Next(1, 4);
        }

        return asks.ToArray();
    }

    private static long RandomSize(Random r) => r.Next(10) switch
    {
        < 4 => r.Next(1, 151) * 1_000_000L,      // whole contracts
        < 6 => r.Next(1, 8_001) * 10_000L,       // two decimals
        < 8 => r.Next(1, 100) * 10_000L,         // under one contract
        8 => 1_000_000L,                         // a thin level of one contract
        _ => 500_000L,                           // half a contract
    };

    private static long Pick(Random r, long[] usual, Func<long> other) => r.Next(3) == 0 ? other() : usual[r.Next(usual.Length)];

    private static PriceLevel[] Levels((int Book, bool Yes)[] spec, (long Price, long Quantity)[][] asks, int book, bool yes)
    {
        for (int i = 0; i < spec.Length; i++)
        {
            if (spec[i].Book == book && spec[i].Yes == yes)
            {
                return asks[i].Select(a => new PriceLevel(Price.FromMicros(a.Price), Quantity.FromMicros(a.Quantity))).ToArray();
            }
        }

        return [];
    }

    private static PriceLevel[] Mirror(PriceLevel[] asks) => asks.Select(a => new PriceLevel(a.Price.Complement, a.Quantity)).ToArray();
}
