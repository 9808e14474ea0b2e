using ArbBot.Abstractions.Markets;

namespace ArbBot.Venues.Sim.Model;

/// <summary>
/// The book a simulated venue publishes for one market, in the venue's own shape: four sides
/// for Polymarket style, YES and NO bids only for Kalshi style. Every change is recorded so
/// the venue can publish it and the matching engine can see what was consumed. Also answers in
/// "logical" terms (the ask of an outcome) by mirroring the other outcome's bids on Kalshi style.
/// </summary>
internal sealed class SimBook
{
    private readonly SortedLevels[] _sides =
    [
        new(), new(), new(), new(), // YES bid, YES ask, NO bid, NO ask; price micros -> quantity micros
    ];

    public SimBook(int eventIndex, string marketId, SimStyle style)
    {
        EventIndex = eventIndex;
        MarketId = marketId;
        Style = style;
    }

    public int EventIndex { get; }

    /// <summary>The engine's handle, set when the market is subscribed.</summary>
    public MarketHandle Handle { get; set; }

    public string MarketId { get; }

    public SimStyle Style { get; }

    /// <summary>Changes since the venue last published.</summary>
    public List<LevelChange> Pending { get; } = new();

    /// <summary>Per-market sequence of published deltas (Kalshi style).</summary>
    public long Sequence { get; set; }

    /// <summary>The round this market resolves next (its end is round x period + the event's offset), or -1 when it never does.</summary>
    public long NextRound { get; set; } = -1;

    /// <summary>Maps a logical (outcome, side, price) to where the venue shows it.</summary>
    public (Outcome Outcome, BookSide Side, long Price) Physical(Outcome outcome, BookSide side, long price) =>
        Style == SimStyle.Kalshi && side == BookSide.Ask
            ? (outcome == Outcome.Yes ? Outcome.No : Outcome.Yes, BookSide.Bid, 1_000_000 - price)
            : (outcome, side, price);

    public SortedLevels Side(Outcome outcome, BookSide side) => _sides[((int)outcome * 2) + (int)side];

    public long QuantityAt(Outcome outcome, BookSide side, long price)
    {
        (Outcome o, BookSide s, long p) = Physical(outcome, side, price);
        return Side(o, s).TryGetValue(p, out long q) ? q : 0;
    }

    /// <summary>Sets a published level (venue coordinates); zero removes it. Records the change.</summary>
    public void SetPhysical(Outcome outcome, BookSide side, long price, long quantity)
    {
        SortedLevels map = Side(outcome, side);
        long old = map.TryGetValue(price, out long q) ? q : 0;
        if (old == quantity)
        {
            return;
        }

        if (quantity == 0)
        {
            map.Remove(price);
        }
        else
        {
            map.Set(price, quantity);
        }

        Pending.Add(new LevelChange(outcome, side, price, old, quantity));
    }

    /// <summary>Takes quantity from a logical level (after a fill).</summary>
    public void Consume(Outcome outcome, BookSide side, long price, long quantity)
    {
        (Outcome o, BookSide s, long p) = Physical(outcome, side, price);
        long current = Side(o, s).TryGetValue(p, out long q) ? q : 0;
        SetPhysical(o, s, p, Math.Max(0, current - quantity));
    }

    /// <summary>Logical levels of one side, best first: (price, quantity).</summary>
    public IEnumerable<(long Price, long Quantity)> LevelsBestFirst(Outcome outcome, BookSide side)
    {
        (Outcome o, BookSide s, _) = Physical(outcome, side, 0);
        bool mirrored = o != outcome;
        SortedLevels map = Side(o, s);
        int count = map.Count;
        for (int k = 0; k < count; k++)
        {
            int i = s == BookSide.Bid ? count - 1 - k : k; // bids best (highest) first, asks lowest first
            long price = map.PriceAt(i);
            yield return (mirrored ? 1_000_000 - price : price, map.QuantityAt(i));
        }
    }
}
