using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;

namespace ArbBot.Engine.Books;

/// <summary>
/// One side of one book: levels sorted so the best is the last element (bids ascending, asks
/// descending). Updates land near the top of the book, so keeping the best at the end makes
/// inserts and removals there cheap. Owns its array; grows only when depth exceeds capacity, doubling, so a side
/// allocates a few times in its life and then never. It starts empty and takes room for 8 levels at its first: 10,000
/// books' four ladders took 21 MB at 32 (most sides are shallower), 5 MB at 8 (docs/performance.md), and a side that
/// never gets a level (the asks of a bids-only book, every one refused) costs nothing.
/// </summary>
internal sealed class PriceLadder
{
    /// <summary>Room taken at the first level.</summary>
    public const int FirstCapacity = 8;

    private PriceLevel[] _levels;
    private readonly bool _bestIsLowest;

    public PriceLadder(BookSide side, int initialCapacity = 0)
    {
        _bestIsLowest = side == BookSide.Ask;
        _levels = initialCapacity == 0 ? [] : new PriceLevel[initialCapacity];
    }

    public int Count { get; private set; }

    /// <summary>The i-th best level (0 = best). Caller checks <paramref name="index"/> &lt; <see cref="Count"/>.</summary>
    public PriceLevel FromBest(int index) => _levels[Count - 1 - index];

    public bool TryGetBest(out PriceLevel level)
    {
        if (Count == 0)
        {
            level = default;
            return false;
        }

        level = _levels[Count - 1];
        return true;
    }

    public void Clear() => Count = 0;

    /// <summary>Sets the total size at a price; zero removes the level.</summary>
    public void Set(Price price, Quantity quantity)
    {
        int index = Find(price.Micros, out bool found);
        if (found)
        {
            if (quantity.IsZero)
            {
                RemoveAt(index);
            }
            else
            {
                _levels[index] = new PriceLevel(price, quantity);
            }
        }
        else if (!quantity.IsZero)
        {
            InsertAt(index, new PriceLevel(price, quantity));
        }
    }

    /// <summary>
    /// Adds a signed change to the size at a price. Returns false if the result would be
    /// negative (the venue and we disagree); the level is then removed.
    /// </summary>
    public bool Add(Price price, Quantity change)
    {
        int index = Find(price.Micros, out bool found);
        Quantity current = found ? _levels[index].Quantity : Quantity.Zero;
        Quantity next = current + change;
        if (next.Micros > 0)
        {
            if (found)
            {
                _levels[index] = new PriceLevel(price, next);
            }
            else
            {
                InsertAt(index, new PriceLevel(price, next));
            }

            return true;
        }

        if (found)
        {
            RemoveAt(index);
        }

        return next.Micros == 0;
    }

    /// <summary>Replaces the contents with the given levels (any order; zero sizes dropped; repeated prices summed).</summary>
    public void Load(ReadOnlySpan<PriceLevel> levels)
    {
        Count = 0;
        foreach (PriceLevel level in levels)
        {
            if (level.Quantity.Micros > 0)
            {
                Add(level.Price, level.Quantity);
            }
        }
    }

    /// <summary>
    /// Binary search in the ladder's order. Returns the index of the price, or where to insert it.
    /// Sort key: price for bids (ascending), -price for asks (so descending).
    /// </summary>
    private int Find(long priceMicros, out bool found)
    {
        long key = _bestIsLowest ? -priceMicros : priceMicros;
        int lo = 0;
        int hi = Count - 1;

        // Most updates touch the top of the book: check the best end first.
        if (hi >= 0)
        {
            long topKey = KeyAt(hi);
            if (key > topKey)
            {
                found = false;
                return Count;
            }

            if (key == topKey)
            {
                found = true;
                return hi;
            }
        }

        while (lo <= hi)
        {
            int mid = (int)((uint)(lo + hi) >> 1);
            long midKey = KeyAt(mid);
            if (midKey == key)
            {
                found = true;
                return mid;
            }

            if (midKey < key)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        found = false;
        return lo;
    }

    private long KeyAt(int index) => _bestIsLowest ? -_levels[index].Price.Micros : _levels[index].Price.Micros;

    private void InsertAt(int index, PriceLevel level)
    {
        if (Count == _levels.Length)
        {
            Array.Resize(ref _levels, _levels.Length == 0 ? FirstCapacity : _levels.Length * 2);
        }

        if (index < Count)
        {
            Array.Copy(_levels, index, _levels, index + 1, Count - index);
        }

        _levels[index] = level;
        Count++;
    }

    private void RemoveAt(int index)
    {
        Count--;
        if (index < Count)
        {
            Array.Copy(_levels, index + 1, _levels, index, Count - index);
        }
    }
}
