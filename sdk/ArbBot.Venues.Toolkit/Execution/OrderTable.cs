using System.Diagnostics.CodeAnalysis;

namespace ArbBot.Venues.Toolkit.Execution;

/// <summary>
/// An executor's orders, found by the engine's client order id and, once the venue has answered,
/// by the venue's own order id; with the venue's events (fills, updates) that arrived before that
/// answer kept aside until it comes (a fill can beat the POST's response). Not thread-safe: the
/// executor calls it under its own lock, as it changes its orders there too.
/// </summary>
/// <typeparam name="TOrder">The executor's record of one order.</typeparam>
/// <typeparam name="TEvent">A venue event about an order, as the executor parses it.</typeparam>
public sealed class OrderTable<TOrder, TEvent>
    where TOrder : class
{
    private readonly Dictionary<string, TOrder> _byClientId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TOrder> _byVenueId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<TEvent>> _early = new(StringComparer.Ordinal);

    /// <summary>Every order tracked, by client id order of arrival.</summary>
    public IEnumerable<TOrder> All => _byClientId.Values;

    /// <summary>The orders the venue has answered for (they have a venue id).</summary>
    public IEnumerable<TOrder> Answered => _byVenueId.Values;

    /// <summary>Tracks a new order; false if the client id is already tracked (a client order id is never reused).</summary>
    public bool TryAdd(string clientOrderId, TOrder order) => _byClientId.TryAdd(clientOrderId, order);

    /// <summary>Tracks an order under its client id, replacing what was there (an order found again at the venue).</summary>
    public void Set(string clientOrderId, TOrder order) => _byClientId[clientOrderId] = order;

    /// <summary>The venue answered with its id for <paramref name="order"/>: it is found by that id from now on, and the events that came first are handed back, oldest first.</summary>
    public IReadOnlyList<TEvent> Answer(string venueOrderId, TOrder order)
    {
        _byVenueId[venueOrderId] = order;
        return _early.Remove(venueOrderId, out List<TEvent>? early) ? early : [];
    }

    /// <summary>The order with this client id.</summary>
    public bool TryGetByClientId(string clientOrderId, [MaybeNullWhen(false)] out TOrder order) => _byClientId.TryGetValue(clientOrderId, out order);

    /// <summary>The order the venue knows by this id.</summary>
    public bool TryGetByVenueId(string venueOrderId, [MaybeNullWhen(false)] out TOrder order) => _byVenueId.TryGetValue(venueOrderId, out order);

    /// <summary>Keeps an event for an order the venue has not answered for yet; <see cref="Answer"/> hands it back.</summary>
    public void KeepUntilAnswered(string venueOrderId, TEvent venueEvent)
    {
        if (!_early.TryGetValue(venueOrderId, out List<TEvent>? list))
        {
            list = new List<TEvent>();
            _early[venueOrderId] = list;
        }

        list.Add(venueEvent);
    }
}
