using System.Diagnostics;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Abstractions.Strategies;
using ArbBot.Engine.Books;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Orders;

namespace ArbBot.Engine.Execution.Risk;

/// <summary>
/// Checks every intent group before any of its orders is sent: kill switch, venue routes
/// (executor, circuit breaker, rate limit), book freshness, order size, edge after fees and
/// slippage at the books as they are now, exposure per event and in total, unhedged exposure,
/// and events already legged. Each rejection is counted under a short reason.
/// Orders that reduce risk (a strategy's hedge of its own fill, the legged policy) skip the
/// checks that would leave a position unhedged: kill switch, breaker, rate, freshness, edge and exposure.
/// </summary>
public sealed class RiskManager
{
    private readonly RiskLimits _limits;
    private readonly BookStore _books;
    private readonly Inventory _inventory;
    private readonly KillSwitch _kill;
    private readonly Dictionary<string, long> _rejections = new(StringComparer.Ordinal);
    private readonly long _maxBookAgeTicks;
    private readonly long _minEpochAgeTicks;

    /// <summary>Creates the checks.</summary>
    public RiskManager(RiskLimits limits, BookStore books, Inventory inventory, KillSwitch kill)
    {
        _limits = limits;
        _books = books;
        _inventory = inventory;
        _kill = kill;
        _maxBookAgeTicks = (long)(limits.MaxBookAge.TotalSeconds * Stopwatch.Frequency);
        _minEpochAgeTicks = (long)(limits.MinEpochAge.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>The limits.</summary>
    public RiskLimits Limits => _limits;

    /// <summary>Cash per venue (<c>insufficient_balance</c>); null when no venue is limited.</summary>
    public VenueCash? Cash { get; set; }

    /// <summary>What reconciliation with the venues allows (<c>unreconciled</c>, <c>position_mismatch</c>); null in paper mode.</summary>
    public Reconciliation.AccountGate? Account { get; set; }

    /// <summary>Rejections so far, by reason.</summary>
    public IReadOnlyDictionary<string, long> Rejections => _rejections;

    /// <summary>The last rejection: reason and detail.</summary>
    public string LastRejection { get; private set; } = "";

    /// <summary>Total rejections.</summary>
    public long RejectedTotal { get; private set; }

    /// <summary>
    /// Returns null when the group may go, else the reason key (and a sentence in <paramref name="detail"/>).
    /// <paramref name="legged"/> says whether the event is in a legged episode; <paramref name="now"/>
    /// is the engine clock's timestamp and <paramref name="nowMs"/> its Unix milliseconds.
    /// </summary>
    public string? Check(IntentGroup group, int eventIndex, bool reducesRisk, bool legged, IReadOnlyList<ExecutionRoute> routes, long now, long nowMs, out string detail)
    {
        string? reason = Evaluate(group, eventIndex, reducesRisk, legged, routes, now, nowMs, out detail);
        if (reason is not null)
        {
            LastRejection = $"{reason}: {detail}";
            RejectedTotal++;
            _rejections[reason] = _rejections.TryGetValue(reason, out long n) ? n + 1 : 1;
        }

        return reason;
    }

    /// <summary>Counts a rejection decided elsewhere (a duplicate in flight).</summary>
    public void Count(string reason)
    {
        LastRejection = reason;
        RejectedTotal++;
        _rejections[reason] = _rejections.TryGetValue(reason, out long n) ? n + 1 : 1;
    }

    private string? Evaluate(IntentGroup group, int eventIndex, bool reducesRisk, bool legged, IReadOnlyList<ExecutionRoute> routes, long now, long nowMs, out string detail)
    {
        detail = "";
        if (group.Legs.Count == 0)
        {
            detail = "group has no legs";
            return "empty";
        }

        if (!reducesRisk && _kill.State is { } kill)
        {
            detail = $"kill switch engaged ({kill.Mode}) by {kill.Source}: {kill.Reason}";
            return "kill_switch";
        }

        Money notional = Money.Zero;
        foreach (OrderIntent leg in group.Legs)
        {
            if (!_books.Contains(leg.Market))
            {
                detail = $"unknown market handle {leg.Market.Value}";
                return "unknown_market";
            }

            if (ExpiryProblem(leg, nowMs) is { } expiry)
            {
                detail = expiry;
                return "bad_expiry";
            }

            MarketBook book = _books[leg.Market];
            ExecutionRoute route = routes[book.VenueIndex];
            if (route.Executor is null)
            {
                detail = $"venue {route.Venue} cannot take orders ({route.Kind})";
                return "no_executor";
            }

            if (Account?.VenueWait(book.VenueIndex) is { } wait)
            {
                detail = $"venue {route.Venue}: {wait}";
                return "unreconciled";
            }

            if (!reducesRisk && route.Breaker.IsOpen(now))
            {
                detail = $"venue {route.Venue}: circuit breaker open after {route.Breaker.ConsecutiveErrors} errors in a row";
                return "circuit_breaker";
            }

            if (!reducesRisk)
            {
                if (book.IsStale)
                {
                    detail = $"{book.VenueName} {book.MarketId} is stale ({book.StaleReason})";
                    return "stale_book";
                }

                if (now - book.LastUpdateTimestamp > _maxBookAgeTicks)
                {
                    detail = $"{book.VenueName} {book.MarketId} not updated for {Stopwatch.GetElapsedTime(book.LastUpdateTimestamp, now).TotalMilliseconds:0} ms";
                    return "book_age";
                }

                if (now - book.EpochStartTimestamp < _minEpochAgeTicks)
                {
                    detail = $"{book.VenueName} {book.MarketId} started a new epoch {Stopwatch.GetElapsedTime(book.EpochStartTimestamp, now).TotalMilliseconds:0} ms ago";
                    return "new_epoch";
                }
            }

            Money legNotional = Money.Of(leg.LimitPrice, leg.Quantity, Rounding.Up);
            if (legNotional > _limits.MaxOrderUsd)
            {
                detail = $"order {leg.Quantity} at {leg.LimitPrice} = ${legNotional} is over max_order_usd ${_limits.MaxOrderUsd}";
                return "max_order";
            }

            if (leg.Side == OrderSide.Buy)
            {
                notional += legNotional;
            }
        }

        if (eventIndex >= 0 && Account?.EventBlock(eventIndex) is { } block)
        {
            detail = block;
            return "position_mismatch";
        }

        if (!RoutesHaveRoom(group, routes, now, reducesRisk, out detail))
        {
            return "rate_limit";
        }

        if (reducesRisk)
        {
            return null;
        }

        if (legged)
        {
            detail = "the event is legged; no new orders on it until the policy has resolved it";
            return "event_legged";
        }

        if (Cash?.Shortfall(group) is { } shortfall)
        {
            detail = shortfall;
            return "insufficient_balance";
        }

        if (group.ExpectedEdge < _limits.MinEdgeUsd)
        {
            detail = $"expected edge ${group.ExpectedEdge} is below min_edge_usd ${_limits.MinEdgeUsd}";
            return "min_edge";
        }

        if (IsOppositePair(group) && AllImmediate(group) && !EdgeHoldsNow(group, out detail))
        {
            return "min_edge";
        }

        if (eventIndex >= 0)
        {
            EventExposure exposure = _inventory.ExposureOf(eventIndex);
            if (exposure.GrossExposure + notional > _limits.MaxEventExposureUsd)
            {
                detail = $"event exposure ${exposure.GrossExposure} + ${notional} would pass max_event_exposure_usd ${_limits.MaxEventExposureUsd}";
                return "max_event_exposure";
            }
        }

        Money total = _inventory.TotalExposure();
        if (total + notional > _limits.MaxTotalExposureUsd)
        {
            detail = $"total exposure ${total} + ${notional} would pass max_total_exposure_usd ${_limits.MaxTotalExposureUsd}";
            return "max_total_exposure";
        }

        // A single order (a maker quote) is unhedged by nature until its hedge fills; a complete pair is not.
        Money unhedged = _inventory.TotalUnhedgedCost();
        Money adds = IsOppositePair(group) ? Money.Zero : notional;
        if (unhedged + adds > _limits.MaxUnhedgedUsd)
        {
            detail = $"unhedged exposure ${unhedged} + ${adds} would pass max_unhedged_usd ${_limits.MaxUnhedgedUsd}";
            return "max_unhedged";
        }

        return null;
    }

    /// <summary>A good-till-date leg needs an expiry in the future; any other leg must not have one.</summary>
    private static string? ExpiryProblem(in OrderIntent leg, long nowMs)
    {
        if (leg.TimeInForce != TimeInForce.GoodTillDate)
        {
            return leg.ExpiresAtMs == 0 ? null : $"ExpiresAtMs is only for good-till-date orders, not {leg.TimeInForce}";
        }

        if (leg.ExpiresAtMs == 0)
        {
            return "a good-till-date order needs ExpiresAtMs (Unix ms)";
        }

        return leg.ExpiresAtMs <= nowMs ? $"a good-till-date order's expiry {DateTimeOffset.FromUnixTimeMilliseconds(leg.ExpiresAtMs):O} has already passed" : null;
    }

    /// <summary>Buys of YES and NO in equal size: the group pays $1 per contract at settlement if every leg fills.</summary>
    internal static bool IsOppositePair(IntentGroup group)
    {
        if (group.Legs.Count != 2)
        {
            return false;
        }

        OrderIntent a = group.Legs[0], b = group.Legs[1];
        return a.Side == OrderSide.Buy && b.Side == OrderSide.Buy && a.Outcome != b.Outcome && a.Quantity == b.Quantity;
    }

    private static bool AllImmediate(IntentGroup group)
    {
        foreach (OrderIntent leg in group.Legs)
        {
            if (leg.TimeInForce.Rests())
            {
                return false; // a resting leg is priced for later, not against the book now
            }
        }

        return true;
    }

    private bool EdgeHoldsNow(IntentGroup group, out string detail)
    {
        // Walk each leg's book to its limit now: slippage since the strategy looked shows up here.
        Money cost = Money.Zero;
        Quantity q = group.Legs[0].Quantity;
        foreach (OrderIntent leg in group.Legs)
        {
            MarketBook book = _books[leg.Market];
            BookWalk walk = book.WalkBuy(leg.Outcome, leg.Quantity, leg.LimitPrice);
            if (walk.Quantity < leg.Quantity)
            {
                detail = $"only {walk.Quantity} of {leg.Quantity} {leg.Outcome} left on {book.VenueName} at {leg.LimitPrice} or better";
                return false;
            }

            cost += walk.CostWithFee;
        }

        Money edge = Money.FromMicros(q.Micros) - cost;
        if (edge < _limits.MinEdgeUsd)
        {
            detail = $"edge at the books now is ${edge} (cost ${cost} for {q}), below min_edge_usd ${_limits.MinEdgeUsd}";
            return false;
        }

        detail = "";
        return true;
    }

    private bool RoutesHaveRoom(IntentGroup group, IReadOnlyList<ExecutionRoute> routes, long now, bool reducesRisk, out string detail)
    {
        detail = "";
        if (reducesRisk)
        {
            return true; // hedges go even past the rate limit: leaving a position open is the bigger risk
        }

        // Every venue must have room for all of its legs at once, or none is sent.
        foreach (OrderIntent leg in group.Legs)
        {
            int venue = _books[leg.Market].VenueIndex;
            int legsThere = 0;
            foreach (OrderIntent other in group.Legs)
            {
                if (_books[other.Market].VenueIndex == venue)
                {
                    legsThere++;
                }
            }

            if (!routes[venue].RateLimit.Has(legsThere, now))
            {
                detail = $"venue {routes[venue].Venue}: over venue_orders_per_second {_limits.VenueOrdersPerSecond}";
                return false;
            }
        }

        return true;
    }
}
