using ArbBot.Abstractions.Events;
using ArbBot.Abstractions.Markets;
using ArbBot.Engine.Books;

namespace ArbBot.Engine.Mirror;

/// <summary>
/// A copy of what the mirror publishes for one book: top of book, a few levels of depth and the
/// trust flags. Filled on the kernel thread when the mirror's writer asks for a flush, read by the
/// writer afterwards; the two never overlap, so no lock is needed.
/// </summary>
internal sealed class BookImage
{
    public BookImage(int levels)
    {
        Levels = levels;
        for (int i = 0; i < 4; i++)
        {
            Sides[i] = new PriceLevel[levels];
        }
    }

    public int Levels { get; }

    /// <summary>YES bids, YES asks, NO bids, NO asks; best first.</summary>
    public PriceLevel[][] Sides { get; } = new PriceLevel[4][];

    public int[] Counts { get; } = new int[4];

    public long Sequence { get; private set; }

    public int Epoch { get; private set; }

    public bool Stale { get; private set; }

    public bool Crossed { get; private set; }

    public long VenueTimestampMs { get; private set; }

    /// <summary>The market's last public trade (Size zero when none).</summary>
    public TradePrint LastTrade { get; private set; }

    /// <summary>The venue's latest summary of the market.</summary>
    public TickerUpdate? Ticker { get; private set; }

    /// <summary>Stopwatch timestamp of the first change not yet written (0 for a full-sync rewrite), for the mirror's lag.</summary>
    public long ChangedTimestamp { get; private set; }

    public static int SideIndex(Outcome outcome, BookSide side) => ((int)outcome * 2) + (int)side;

    /// <summary>Kernel thread: copy the book. Allocates nothing.</summary>
    public void Capture(MarketBook book, long changedTimestamp)
    {
        for (int o = 0; o < 2; o++)
        {
            for (int s = 0; s < 2; s++)
            {
                int index = (o * 2) + s;
                int count = Math.Min(Levels, book.LevelCount((Outcome)o, (BookSide)s));
                PriceLevel[] target = Sides[index];
                for (int i = 0; i < count; i++)
                {
                    target[i] = book.GetLevel((Outcome)o, (BookSide)s, i);
                }

                Counts[index] = count;
            }
        }

        Sequence = book.Sequence;
        Epoch = book.Epoch;
        Stale = book.IsStale;
        Crossed = book.IsCrossed;
        VenueTimestampMs = book.VenueTimestampMs;
        LastTrade = book.LastTrade;
        Ticker = book.Ticker;
        ChangedTimestamp = changedTimestamp;
    }

    public bool TryGetLevel(Outcome outcome, BookSide side, int index, out PriceLevel level)
    {
        int s = SideIndex(outcome, side);
        if (index < Counts[s])
        {
            level = Sides[s][index];
            return true;
        }

        level = default;
        return false;
    }
}
