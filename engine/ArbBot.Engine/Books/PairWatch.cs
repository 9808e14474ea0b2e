using ArbBot.Abstractions.Orders;
using ArbBot.Engine.Kernel;

namespace ArbBot.Engine.Books;

/// <summary>
/// Watches the configured pairs on the kernel thread and counts how often a cross-venue gross
/// edge (YES on one venue + NO on the other under $1, before fees) opens. A cheap health signal
/// that the feeds line up; the strategies decide what is tradable after fees.
/// </summary>
public sealed class PairWatch : IKernelListener
{
    private readonly BookStore _books;
    private IReadOnlyList<MarketPair> _pairs;
    private int[][] _pairsByBook = [];
    private MarketBook[][] _legs = []; // per pair: its first two legs' books (none for a single-venue entry)
    private bool[] _open = [];

    /// <summary>Creates a watch over pairs whose books are already registered.</summary>
    public PairWatch(BookStore books, IReadOnlyList<MarketPair> pairs)
    {
        _books = books;
        _pairs = pairs;
        Rebuild();
    }

    /// <summary>Pairs with a gross edge open now.</summary>
    public int OpenNow { get; private set; }

    /// <summary>Times an edge opened since start.</summary>
    public long Sightings { get; private set; }

    /// <inheritdoc/>
    public void OnBookUpdated(MarketBook book)
    {
        if (book.Handle.Value >= _pairsByBook.Length)
        {
            return;
        }

        foreach (int pairIndex in _pairsByBook[book.Handle.Value])
        {
            MarketBook[] legs = _legs[pairIndex];
            bool open = legs.Length == 2 && MarketPair.HasGrossEdge(legs[0], legs[1]);
            if (open != _open[pairIndex])
            {
                _open[pairIndex] = open;
                OpenNow += open ? 1 : -1;
                if (open)
                {
                    Sightings++;
                }
            }
        }
    }

    /// <inheritdoc/>
    public void OnOrderUpdate(int venueIndex, OrderUpdate update)
    {
    }

    /// <inheritdoc/>
    public void OnFill(int venueIndex, Fill fill)
    {
    }

    /// <inheritdoc/>
    public void OnTimer(long nowTimestamp)
    {
    }

    /// <summary>The pairs file changed: watch these pairs (appended to the ones before, whose state stays); retired ones are no longer watched. Kernel thread.</summary>
    public void UsePairs(IReadOnlyList<MarketPair> pairs, IReadOnlySet<int> retired)
    {
        bool[] open = _open;
        _pairs = pairs;
        Rebuild(retired);
        for (int p = 0; p < open.Length && p < _open.Length; p++)
        {
            _open[p] = open[p] && !retired.Contains(p);
        }

        OpenNow = _open.Count(o => o);
    }

    private void Rebuild(IReadOnlySet<int>? retired = null)
    {
        var byBook = new List<int>[_books.Count];
        for (int p = 0; p < _pairs.Count; p++)
        {
            if (retired?.Contains(p) == true)
            {
                continue;
            }

            foreach (var leg in _pairs[p].Legs)
            {
                (byBook[leg.Value] ??= new List<int>()).Add(p);
            }
        }

        _pairsByBook = byBook.Select(l => l?.ToArray() ?? []).ToArray();
        _legs = _pairs.Select(p => p.Legs.Count < 2 ? [] : new[] { _books[p.Legs[0]], _books[p.Legs[1]] }).ToArray();
        _open = new bool[_pairs.Count];
    }
}
