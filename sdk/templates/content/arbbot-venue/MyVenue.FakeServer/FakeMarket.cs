using System.Text.Json;

namespace MyVenue.FakeServer;

/// <summary>One market's two ladders of bids (price in cents -> contracts) and its message number. Callers lock it.</summary>
internal sealed class FakeMarket
{
    private readonly SortedDictionary<int, int> _yes = new();
    private readonly SortedDictionary<int, int> _no = new();
    private long _sequence;

    public FakeMarket(string id)
    {
        Id = id;
        var random = new Random(id.GetHashCode(StringComparison.Ordinal));
        for (int cents = 38; cents <= 45; cents++)
        {
            _yes[cents] = random.Next(5, 300);
        }

        for (int cents = 45; cents <= 52; cents++)
        {
            _no[cents] = random.Next(5, 300);
        }
    }

    public string Id { get; }

    /// <summary>Sets a level (0 removes it) and returns the delta that says so, with the next number.</summary>
    public string Set(bool yes, int cents, int size)
    {
        SortedDictionary<int, int> side = yes ? _yes : _no;
        if (size > 0)
        {
            side[cents] = size;
        }
        else
        {
            side.Remove(cents);
        }

        return JsonSerializer.Serialize(new
        {
            type = "delta",
            market = Id,
            seq = ++_sequence,
            ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            outcome = yes ? "yes" : "no",
            price = Price(cents),
            size = size.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
    }

    /// <summary>The best bid of one outcome: (cents, contracts), or (0, 0) when it has none.</summary>
    public (int Cents, int Size) Best(bool yes)
    {
        SortedDictionary<int, int> side = yes ? _yes : _no;
        return side.Count == 0 ? (0, 0) : (side.Keys.Last(), side[side.Keys.Last()]);
    }

    /// <summary>The whole book, numbered as the last delta.</summary>
    public string Snapshot() => JsonSerializer.Serialize(new
    {
        type = "snapshot",
        market = Id,
        seq = _sequence,
        ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        yes = Levels(_yes),
        no = Levels(_no),
    });

    private static string[][] Levels(SortedDictionary<int, int> side) =>
        side.Reverse().Select(level => new[] { Price(level.Key), level.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) }).ToArray();

    private static string Price(int cents) => $"0.{cents:D2}";
}
