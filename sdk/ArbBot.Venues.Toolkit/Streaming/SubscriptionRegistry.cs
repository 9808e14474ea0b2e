using System.Diagnostics.CodeAnalysis;
using ArbBot.Abstractions.Markets;

namespace ArbBot.Venues.Toolkit.Streaming;

/// <summary>
/// The markets a connector streams, found by the engine's <see cref="MarketHandle"/>, by the
/// venue's market id, or by an outcome's own instrument id (a Polymarket token). A connector keeps
/// one: <see cref="Add"/> and <see cref="Remove"/> return the markets a subscribe or unsubscribe
/// call actually changes (so it sends the venue only those), and <see cref="All"/> is what to
/// subscribe again after a reconnect. Thread-safe: the engine subscribes from its own thread while
/// the receive loop looks markets up.
/// </summary>
public sealed class SubscriptionRegistry
{
    private readonly object _gate = new();
    private readonly Dictionary<MarketHandle, MarketSubscription> _byHandle = new();
    private readonly Dictionary<string, MarketSubscription> _byMarketId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MarketSubscription> _byInstrument = new(StringComparer.Ordinal);

    /// <summary>How many markets are subscribed.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _byHandle.Count;
            }
        }
    }

    /// <summary>Every subscribed market, in no particular order (a copy).</summary>
    public IReadOnlyList<MarketSubscription> All
    {
        get
        {
            lock (_gate)
            {
                return _byHandle.Values.ToArray();
            }
        }
    }

    /// <summary>
    /// Adds markets and returns those that were not subscribed yet, in the order given. A handle
    /// already subscribed with the same ids is left as it is; with other ids it is replaced and returned.
    /// </summary>
    public IReadOnlyList<MarketSubscription> Add(IEnumerable<MarketSubscription> markets)
    {
        var added = new List<MarketSubscription>();
        lock (_gate)
        {
            foreach (MarketSubscription market in markets)
            {
                if (_byHandle.TryGetValue(market.Handle, out MarketSubscription? known))
                {
                    if (known == market)
                    {
                        continue;
                    }

                    Forget(known);
                }

                _byHandle[market.Handle] = market;
                _byMarketId[market.MarketId] = market;
                if (market.YesId is { Length: > 0 } yes)
                {
                    _byInstrument[yes] = market;
                }

                if (market.NoId is { Length: > 0 } no)
                {
                    _byInstrument[no] = market;
                }

                added.Add(market);
            }
        }

        return added;
    }

    /// <summary>Removes markets and returns those that were subscribed (handles not subscribed are skipped).</summary>
    public IReadOnlyList<MarketSubscription> Remove(IEnumerable<MarketHandle> markets)
    {
        var removed = new List<MarketSubscription>();
        lock (_gate)
        {
            foreach (MarketHandle handle in markets)
            {
                if (_byHandle.TryGetValue(handle, out MarketSubscription? known))
                {
                    Forget(known);
                    removed.Add(known);
                }
            }
        }

        return removed;
    }

    /// <summary>The subscribed market with this handle.</summary>
    public bool TryGet(MarketHandle handle, [MaybeNullWhen(false)] out MarketSubscription market)
    {
        lock (_gate)
        {
            return _byHandle.TryGetValue(handle, out market);
        }
    }

    /// <summary>The subscribed market with this venue market id (Kalshi ticker, Polymarket condition id).</summary>
    public bool TryGetByMarketId(string marketId, [MaybeNullWhen(false)] out MarketSubscription market)
    {
        lock (_gate)
        {
            return _byMarketId.TryGetValue(marketId, out market);
        }
    }

    /// <summary>The subscribed market one of whose outcomes has this instrument id (its YES or NO token).</summary>
    public bool TryGetByInstrument(string instrumentId, [MaybeNullWhen(false)] out MarketSubscription market)
    {
        lock (_gate)
        {
            return _byInstrument.TryGetValue(instrumentId, out market);
        }
    }

    private void Forget(MarketSubscription market)
    {
        _byHandle.Remove(market.Handle);
        if (_byMarketId.TryGetValue(market.MarketId, out MarketSubscription? byId) && byId.Handle == market.Handle)
        {
            _byMarketId.Remove(market.MarketId);
        }

        foreach (string? instrument in new[] { market.YesId, market.NoId })
        {
            if (instrument is { Length: > 0 } && _byInstrument.TryGetValue(instrument, out MarketSubscription? byInstrument) && byInstrument.Handle == market.Handle)
            {
                _byInstrument.Remove(instrument);
            }
        }
    }
}
