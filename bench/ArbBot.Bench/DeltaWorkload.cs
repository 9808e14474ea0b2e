using ArbBot.Abstractions.Events;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Engine.Books;

namespace ArbBot.Bench;

/// <summary>
/// A realistic stream of book deltas over many markets: half Kalshi-style (signed changes to
/// YES/NO bids, per-market sequence), half Polymarket-style (absolute sizes on both sides),
/// concentrated near the top of book, with levels appearing and disappearing. Generated up front
/// so the measured loop does nothing but apply.
/// </summary>
internal sealed class DeltaWorkload
{
    public DeltaWorkload(int markets, int deltas, int seed)
    {
        Store = new BookStore();
        var random = new Random(seed);
        var handles = new MarketHandle[markets];
        var styles = new BookStyle[markets];
        var sizes = new Dictionary<(int, int, int, long), long>();
        var sequences = new long[markets];
        for (int m = 0; m < markets; m++)
        {
            styles[m] = m % 2 == 0 ? BookStyle.BidsOnly : BookStyle.TwoSided;
            handles[m] = Store.Register(m % 2, styles[m] == BookStyle.BidsOnly ? "k" : "p", $"M{m}", styles[m]);
            Snapshot(m, handles[m], styles[m], random, sizes, sequences);
        }

        Deltas = new BookDelta[deltas];
        for (int i = 0; i < deltas; i++)
        {
            int m = random.Next(markets);
            var outcome = (Outcome)random.Next(2);
            BookSide side = styles[m] == BookStyle.BidsOnly ? BookSide.Bid : (BookSide)random.Next(2);

            // Top of book moves the most: level 0-2 most of the time, deeper now and then.
            int depth = random.Next(100) < 80 ? random.Next(3) : random.Next(3, 12);
            long best = side == BookSide.Bid ? 480_000 : 520_000;
            long price = side == BookSide.Bid ? best - (depth * 10_000) : best + (depth * 10_000);
            var key = (m, (int)outcome, (int)side, price);
            long current = sizes.GetValueOrDefault(key);
            long next = random.Next(100) < 10 ? 0 : random.Next(1, 500) * 1_000_000L;
            sizes[key] = next;
            Deltas[i] = styles[m] == BookStyle.BidsOnly
                ? new BookDelta(handles[m], outcome, side, Price.FromMicros(price), Quantity.FromMicros(next - current), DeltaKind.Add, ++sequences[m], 0, 0)
                : new BookDelta(handles[m], outcome, side, Price.FromMicros(price), Quantity.FromMicros(next), DeltaKind.Set, 0, 0, 0);
        }
    }

    public BookStore Store { get; }

    public BookDelta[] Deltas { get; }

    private void Snapshot(int m, MarketHandle handle, BookStyle style, Random random, Dictionary<(int, int, int, long), long> sizes, long[] sequences)
    {
        PriceLevel[] Ladder(Outcome outcome, BookSide side)
        {
            if (side == BookSide.Ask && style == BookStyle.BidsOnly)
            {
                return [];
            }

            var levels = new PriceLevel[10];
            for (int d = 0; d < levels.Length; d++)
            {
                long price = side == BookSide.Bid ? 480_000 - (d * 10_000) : 520_000 + (d * 10_000);
                long size = random.Next(1, 500) * 1_000_000L;
                sizes[(m, (int)outcome, (int)side, price)] = size;
                levels[d] = new PriceLevel(Price.FromMicros(price), Quantity.FromMicros(size));
            }

            return levels;
        }

        sequences[m] = 1;
        Store.ApplySnapshot(new BookSnapshot(handle, 1, 0, 0, Ladder(Outcome.Yes, BookSide.Bid), Ladder(Outcome.Yes, BookSide.Ask), Ladder(Outcome.No, BookSide.Bid), Ladder(Outcome.No, BookSide.Ask)), 0);
    }
}
