using ArbBot.Abstractions.Markets;

namespace ArbBot.Engine.Mirror;

/// <summary>
/// What the mirror last wrote for one book on the current connection: each side's levels and
/// their formatted text. A write then sends and formats only the sides that changed (a delta
/// usually touches one side of four), which is what keeps the mirror ahead at high rates.
/// Writer thread only.
/// </summary>
internal sealed class WrittenBook
{
    public WrittenBook(int levels)
    {
        for (int i = 0; i < 4; i++)
        {
            Levels[i] = new PriceLevel[levels];
        }
    }

    /// <summary>False until the book's first full write on this connection (then every field is sent).</summary>
    public bool Complete { get; set; }

    public PriceLevel[][] Levels { get; } = new PriceLevel[4][];

    /// <summary>The book-level fields last written: any change writes both outcomes' hashes.</summary>
    public (long Sequence, int Epoch, bool Stale, bool Crossed) Flags { get; set; }

    /// <summary>The last trade and venue summary written.</summary>
    public (Abstractions.Events.TradePrint Trade, Abstractions.Events.TickerUpdate? Ticker) Tape { get; set; }

    public int[] Counts { get; } = new int[4];

    /// <summary>Best price, its size, and the depth text of each side ("" when empty).</summary>
    public string[] Best { get; } = ["", "", "", ""];

    public string[] BestSize { get; } = ["", "", "", ""];

    public string[] Depth { get; } = ["", "", "", ""];

    /// <summary>Whether a side of the image differs from what was written; if so, remembers the new levels.</summary>
    public bool TakeIfChanged(BookImage image, int side)
    {
        int count = image.Counts[side];
        ReadOnlySpan<PriceLevel> now = image.Sides[side].AsSpan(0, count);
        if (Complete && count == Counts[side] && now.SequenceEqual(Levels[side].AsSpan(0, count)))
        {
            return false;
        }

        now.CopyTo(Levels[side]);
        Counts[side] = count;
        return true;
    }
}
