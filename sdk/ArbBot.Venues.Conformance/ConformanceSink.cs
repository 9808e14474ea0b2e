using ArbBot.Abstractions.Events;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Abstractions.Plugins;
using ArbBot.Engine.Books;

namespace ArbBot.Venues.Conformance;

/// <summary>
/// Stands where the engine stands: applies what a connector sends to a real <see cref="BookStore"/>,
/// asks for a snapshot on a gap exactly as the kernel does, and records everything for the
/// suite to check. Applies under a lock because connectors call from their own threads.
/// </summary>
public sealed class ConformanceSink : IVenueEventSink, IExecutionEventSink, IPluginLog
{
    private readonly object _gate = new();
    private readonly HashSet<MarketHandle> _compareOnNextSnapshot = new();

    /// <summary>Creates the sink over the books the suite registered the markets in.</summary>
    public ConformanceSink(BookStore books)
    {
        Books = books;
    }

    /// <summary>The books the connector's data is applied to.</summary>
    public BookStore Books { get; }

    /// <summary>Set once the connector exists, so gaps can be answered with a snapshot request.</summary>
    public IVenueConnector? Connector { get; set; }

    /// <summary>Differences found between a book and the venue's next snapshot of it (empty when the book was exact).</summary>
    public List<string> Mismatches { get; } = new();

    /// <summary>The plugin's log lines, each prefixed with its level ("info: ", "warn: ", "error: ").</summary>
    public List<string> Log { get; } = new();

    /// <summary>Order updates, in the order received.</summary>
    public List<OrderUpdate> Updates { get; } = new();

    /// <summary>Fills, in the order received.</summary>
    public List<Fill> Fills { get; } = new();

    /// <summary>Venue status changes, in order.</summary>
    public List<VenueStatus> Statuses { get; } = new();

    /// <summary>Fee models the venue announced per market.</summary>
    public Dictionary<MarketHandle, ArbBot.Abstractions.Fees.IFeeModel> Fees { get; } = new();

    /// <summary>Snapshots applied per market.</summary>
    public Dictionary<MarketHandle, int> Snapshots { get; } = new();

    /// <summary>Public trades received.</summary>
    public List<TradePrint> Trades { get; } = new();

    /// <summary>Ticker updates received.</summary>
    public List<TickerUpdate> Tickers { get; } = new();

    /// <summary>Deltas applied per market.</summary>
    public Dictionary<MarketHandle, int> Deltas { get; } = new();

    /// <summary>Sequence gaps and levels that would go negative (each answered with a snapshot request).</summary>
    public int Gaps { get; private set; }

    /// <summary>Books the connector itself declared untrustworthy.</summary>
    public int Invalidations { get; private set; }

    /// <summary>Snapshots and deltas the books refused.</summary>
    public int Rejected { get; private set; }

    /// <summary>Snapshots, deltas and invalidations received.</summary>
    public long EventsSeen { get; private set; }

    /// <summary>Reads the sink's state under its lock (connectors write from their own threads).</summary>
    public T Read<T>(Func<ConformanceSink, T> read)
    {
        lock (_gate)
        {
            return read(this);
        }
    }

    /// <summary>Compares the book with the venue's own next snapshot of it, before applying that snapshot.</summary>
    public void CompareOnNextSnapshot(MarketHandle market)
    {
        lock (_gate)
        {
            _compareOnNextSnapshot.Add(market);
        }
    }

    /// <summary>Whether the comparison asked for with <see cref="CompareOnNextSnapshot"/> still waits for its snapshot.</summary>
    public bool IsComparisonPending(MarketHandle market) => Read(s => s._compareOnNextSnapshot.Contains(market));

    /// <summary>Applies a snapshot, comparing it with the book first when asked to.</summary>
    public void OnBookSnapshot(BookSnapshot snapshot)
    {
        lock (_gate)
        {
            EventsSeen++;
            if (_compareOnNextSnapshot.Remove(snapshot.Market) && !Books[snapshot.Market].IsStale)
            {
                Compare(Books[snapshot.Market], snapshot);
            }

            if (Books.ApplySnapshot(snapshot, 0) == ApplyResult.Applied)
            {
                Snapshots[snapshot.Market] = Snapshots.GetValueOrDefault(snapshot.Market) + 1;
            }
            else
            {
                Rejected++;
            }
        }
    }

    /// <summary>Applies a delta; a sequence gap asks the connector for a snapshot, as the kernel does.</summary>
    public void OnBookDelta(in BookDelta delta)
    {
        ApplyResult result;
        lock (_gate)
        {
            EventsSeen++;
            result = Books.ApplyDelta(delta, 0);
            switch (result)
            {
                case ApplyResult.Applied:
                    Deltas[delta.Market] = Deltas.GetValueOrDefault(delta.Market) + 1;
                    break;
                case ApplyResult.SequenceGap:
                case ApplyResult.NegativeLevel:
                    Gaps++;
                    break;
                case ApplyResult.Rejected:
                    Rejected++;
                    break;
            }
        }

        if (result is ApplyResult.SequenceGap or ApplyResult.NegativeLevel)
        {
            Connector?.RequestSnapshot(delta.Market, result.ToString());
        }
    }

    /// <summary>Marks the book stale with a new epoch, as the kernel does.</summary>
    public void OnBookInvalidated(MarketHandle market, string reason)
    {
        lock (_gate)
        {
            EventsSeen++;
            Invalidations++;
            Books.Invalidate(market, reason);
        }
    }

    /// <summary>Records the market's fee model.</summary>
    public void OnMarketFees(MarketHandle market, ArbBot.Abstractions.Fees.IFeeModel fees)
    {
        lock (_gate)
        {
            Fees[market] = fees;
        }
    }

    /// <summary>Records a public trade.</summary>
    public void OnTrade(in TradePrint trade)
    {
        lock (_gate)
        {
            Trades.Add(trade);
        }
    }

    /// <summary>Records a ticker update.</summary>
    public void OnTicker(TickerUpdate ticker)
    {
        lock (_gate)
        {
            Tickers.Add(ticker);
        }
    }

    /// <summary>Records a status change.</summary>
    public void OnVenueStatus(VenueStatus status, string detail)
    {
        lock (_gate)
        {
            Statuses.Add(status);
        }
    }

    /// <summary>Records an order update.</summary>
    public void OnOrderUpdate(OrderUpdate update)
    {
        lock (_gate)
        {
            Updates.Add(update);
        }
    }

    /// <summary>Records a fill.</summary>
    public void OnFill(Fill fill)
    {
        lock (_gate)
        {
            Fills.Add(fill);
        }
    }

    void IPluginLog.Info(string message) => Append("info: " + message);

    void IPluginLog.Warn(string message) => Append("warn: " + message);

    void IPluginLog.Error(string message, Exception? exception) => Append("error: " + message);

    private void Append(string line)
    {
        lock (_gate)
        {
            Log.Add(line);
        }
    }

    private void Compare(MarketBook book, BookSnapshot snapshot)
    {
        foreach (Outcome outcome in snapshot.OnlyOutcome is { } only ? [only] : new[] { Outcome.Yes, Outcome.No })
        {
            foreach (BookSide side in new[] { BookSide.Bid, BookSide.Ask })
            {
                if (side == BookSide.Ask && book.Style == BookStyle.BidsOnly)
                {
                    continue;
                }

                PriceLevel[] expected = snapshot.Levels(outcome, side)
                    .Where(l => l.Quantity.IsPositive)
                    .OrderBy(l => side == BookSide.Bid ? -l.Price.Micros : l.Price.Micros)
                    .ToArray();
                PriceLevel[] actual = Enumerable.Range(0, book.LevelCount(outcome, side)).Select(i => book.GetLevel(outcome, side, i)).ToArray();
                if (!expected.SequenceEqual(actual))
                {
                    Mismatches.Add($"{book.MarketId} {outcome} {side}: built from deltas [{string.Join(", ", actual)}], venue snapshot [{string.Join(", ", expected)}]");
                }
            }
        }
    }
}
