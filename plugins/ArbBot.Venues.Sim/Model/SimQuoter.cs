using ArbBot.Abstractions.Markets;

namespace ArbBot.Venues.Sim.Model;

/// <summary>
/// Decides what a simulated venue quotes: for each outcome a ladder around the shared fair value
/// as this venue sees it (trailing by its feed lag, the NO book trailing a little more), sizes
/// that persist while a price stays quoted, and one random size change per update so the
/// feed never goes quiet. Kalshi style publishes only the bids.
/// </summary>
internal sealed class SimQuoter
{
    private readonly SimSettings _settings;
    private readonly FairValue _fair;
    private readonly Random _random;
    private readonly List<long> _targetPrices = new();

    public SimQuoter(SimSettings settings, FairValue fair, Random random)
    {
        _settings = settings;
        _fair = fair;
        _random = random;
    }

    /// <summary>Re-quotes one outcome of one market at a moment; changes land in <see cref="SimBook.Pending"/>.</summary>
    public void Requote(SimBook book, Outcome outcome, long unixMs, bool perturb)
    {
        long lag = _settings.FeedLagMs + (outcome == Outcome.No ? _settings.NoSideLagMs : 0);
        long fairYes = _fair.At(book.EventIndex, unixMs - lag);
        long center = outcome == Outcome.Yes ? fairYes : 1_000_000 - fairYes;
        long tick = _settings.Tick.Micros;
        long bestBid = FloorToTick(center - tick, tick);
        long bestAsk = CeilToTick(center + tick, tick);

        QuoteSide(book, outcome, BookSide.Bid, bestBid, -tick, perturb);
        if (book.Style == SimStyle.Polymarket)
        {
            QuoteSide(book, outcome, BookSide.Ask, bestAsk, tick, perturb: false);
        }
    }

    private void QuoteSide(SimBook book, Outcome outcome, BookSide side, long best, long step, bool perturb)
    {
        _targetPrices.Clear();
        for (int i = 0; i < _settings.DepthLevels; i++)
        {
            long price = best + (i * step);
            if (price > 0 && price < 1_000_000)
            {
                _targetPrices.Add(price);
            }
        }

        SortedLevels current = book.Side(outcome, side);
        List<long>? gone = null;
        for (int i = 0; i < current.Count; i++)
        {
            long price = current.PriceAt(i);
            if (!_targetPrices.Contains(price))
            {
                (gone ??= new List<long>()).Add(price);
            }
        }

        if (gone is not null)
        {
            foreach (long price in gone)
            {
                book.SetPhysical(outcome, side, price, 0);
            }
        }

        foreach (long price in _targetPrices)
        {
            if (!current.ContainsKey(price))
            {
                book.SetPhysical(outcome, side, price, RandomSize());
            }
        }

        if (perturb && _targetPrices.Count > 0)
        {
            long price = _targetPrices[_random.Next(_targetPrices.Count)];
            long size = current.TryGetValue(price, out long q) ? q : 0;
            long change = _random.Next(1, 51) * 1_000_000L;
            long next = _random.Next(2) == 0 ? size + change : Math.Max(1_000_000, size - change);
            book.SetPhysical(outcome, side, price, next);
        }
    }

    private long RandomSize() => _random.Next(20, 301) * 1_000_000L;

    private static long FloorToTick(long price, long tick) => Math.Max(tick, price - (((price % tick) + tick) % tick));

    private static long CeilToTick(long price, long tick)
    {
        long rem = ((price % tick) + tick) % tick;
        return Math.Min(1_000_000 - tick, rem == 0 ? price : price + tick - rem);
    }
}
