namespace ArbBot.Venues.Sim.Model;

/// <summary>
/// One side of a simulated book: quantity by price (both in micros), sorted by price, lowest first. A side holds a
/// handful of levels, so two flat arrays with a binary search beat a tree: 10,000 markets' sides held 14 MB of tree
/// nodes as <see cref="SortedDictionary{TKey, TValue}"/>s, a few MB as these. (The engine's own ladder is internal to
/// the engine: a plugin sees only the contract, and this one also keeps the venue's micros rather than engine types.)
/// </summary>
internal sealed class SortedLevels
{
    private const int InitialCapacity = 4;

    // Empty until the first level: a Kalshi-style market never fills its two ask sides.
    private long[] _prices = [];
    private long[] _quantities = [];

    public int Count { get; private set; }

    /// <summary>The price of the level at <paramref name="index"/> (0: the lowest). Caller checks the index against <see cref="Count"/>.</summary>
    public long PriceAt(int index) => _prices[index];

    /// <summary>The quantity of the level at <paramref name="index"/>.</summary>
    public long QuantityAt(int index) => _quantities[index];

    public bool ContainsKey(long price) => Find(price) >= 0;

    public bool TryGetValue(long price, out long quantity)
    {
        int at = Find(price);
        quantity = at >= 0 ? _quantities[at] : 0;
        return at >= 0;
    }

    /// <summary>Sets the quantity at a price, adding the level if it is not there.</summary>
    public void Set(long price, long quantity)
    {
        int at = Find(price);
        if (at >= 0)
        {
            _quantities[at] = quantity;
            return;
        }

        at = ~at;
        if (Count == _prices.Length)
        {
            int capacity = Count == 0 ? InitialCapacity : Count * 2;
            Array.Resize(ref _prices, capacity);
            Array.Resize(ref _quantities, capacity);
        }

        Array.Copy(_prices, at, _prices, at + 1, Count - at);
        Array.Copy(_quantities, at, _quantities, at + 1, Count - at);
        _prices[at] = price;
        _quantities[at] = quantity;
        Count++;
    }

    /// <summary>Takes the level at a price out; false if there was none.</summary>
    public bool Remove(long price)
    {
        int at = Find(price);
        if (at < 0)
        {
            return false;
        }

        Count--;
        Array.Copy(_prices, at + 1, _prices, at, Count - at);
        Array.Copy(_quantities, at + 1, _quantities, at, Count - at);
        return true;
    }

    private int Find(long price) => Array.BinarySearch(_prices, 0, Count, price);
}
