namespace ArbBot.Engine.Risk;

/// <summary>
/// Why a group was refused: the short names counted in the status, written to the fill log and
/// shown by the dashboard. Tests and reports use these constants, never the strings.
/// </summary>
public static class RejectReason
{
    /// <summary>This engine does not own the event's pair now (<c>engine.ownership_lease</c>).</summary>
    public const string NotOwner = "not_owner";

    /// <summary>The group has no legs.</summary>
    public const string Empty = "empty";

    /// <summary>The kill switch is engaged.</summary>
    public const string KillSwitch = "kill_switch";

    /// <summary>A leg names a market the engine does not know.</summary>
    public const string UnknownMarket = "unknown_market";

    /// <summary>A leg's expiry is missing, misplaced or past.</summary>
    public const string BadExpiry = "bad_expiry";

    /// <summary>A leg's venue has no executor now.</summary>
    public const string NoExecutor = "no_executor";

    /// <summary>A leg's venue has not been reconciled with its account yet.</summary>
    public const string Unreconciled = "unreconciled";

    /// <summary>A leg's venue's circuit breaker is open.</summary>
    public const string CircuitBreaker = "circuit_breaker";

    /// <summary>A leg's book is stale.</summary>
    public const string StaleBook = "stale_book";

    /// <summary>A leg's book has not been updated for longer than <c>max_book_age</c>.</summary>
    public const string BookAge = "book_age";

    /// <summary>A leg's book started a new epoch (a fresh snapshot) too recently.</summary>
    public const string NewEpoch = "new_epoch";

    /// <summary>One order is over <c>max_order_usd</c>.</summary>
    public const string MaxOrder = "max_order";

    /// <summary>The event's positions disagree with the venue's.</summary>
    public const string PositionMismatch = "position_mismatch";

    /// <summary>A venue has no room left under <c>venue_orders_per_second</c>.</summary>
    public const string RateLimit = "rate_limit";

    /// <summary>The event is in a legged episode.</summary>
    public const string EventLegged = "event_legged";

    /// <summary>A venue's cash does not cover the buys.</summary>
    public const string InsufficientBalance = "insufficient_balance";

    /// <summary>The edge (as emitted, or at the books now) is below <c>min_edge_usd</c>.</summary>
    public const string MinEdge = "min_edge";

    /// <summary>The event's exposure would pass <c>max_event_exposure_usd</c>.</summary>
    public const string MaxEventExposure = "max_event_exposure";

    /// <summary>The total exposure would pass <c>max_total_exposure_usd</c>.</summary>
    public const string MaxTotalExposure = "max_total_exposure";

    /// <summary>The buys do not fit in this engine's grant of the budget it shares with other engines (<c>risk.shared_budget</c>).</summary>
    public const string SharedBudget = "shared_budget";

    /// <summary>The unhedged exposure would pass <c>max_unhedged_usd</c>.</summary>
    public const string MaxUnhedged = "max_unhedged";

    /// <summary>The legs are on more than one event, and not all on outcomes of one outcome group (exposure is counted per event and per group).</summary>
    public const string SeveralEvents = "several_events";

    /// <summary>The legs span an outcome group's outcomes but do not pay the same whichever outcome wins.</summary>
    public const string IncompleteBasket = "incomplete_basket";

    /// <summary>The same orders are still working (decided by the execution engine, counted here).</summary>
    public const string DuplicateInFlight = "duplicate_in_flight";

    /// <summary>A client order id of the group was used before.</summary>
    public const string DuplicateId = "duplicate_id";

    /// <summary>The engine is winding down: only risk-reducing orders go.</summary>
    public const string Stopping = "stopping";
}
