using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;

namespace ArbBot.Engine.Execution.Journal;

/// <summary>
/// What a restart needs from the fill log: the highest group id used (so no client order id is
/// ever sent twice), every fill (positions are rebuilt from them), the orders that were still
/// working when the engine stopped, and the legged episodes that were not resolved.
/// </summary>
public sealed class FillLogState
{
    /// <summary>Highest group id in the log (0 if empty).</summary>
    public long MaxGroupId { get; set; }

    /// <summary>Every fill, oldest first.</summary>
    public List<LoggedFill> Fills { get; } = new();

    /// <summary>Markets settled, oldest first: venue, market, winner, venue time.</summary>
    public List<(string Venue, string MarketId, Outcome Winner, long VenueMs)> Settlements { get; } = new();

    /// <summary>Orders not in a final state: their ids.</summary>
    public IEnumerable<string> OpenOrderIds => OpenOrders.Select(o => o.ClientOrderId);

    /// <summary>Orders not in a final state, as they were sent.</summary>
    public List<LoggedOrder> OpenOrders { get; } = new();

    /// <summary>Legged episodes not resolved: id and event.</summary>
    public List<(long Id, string EventId, long StartedMs, int Steps)> OpenEpisodes { get; } = new();

    /// <summary>Highest legged episode id.</summary>
    public long MaxEpisodeId { get; set; }
}

/// <summary>An order as stored in the log.</summary>
public sealed record LoggedOrder(
    string ClientOrderId, long GroupId, int Leg, string Role, string Venue, string MarketId, Outcome Outcome, OrderSide Side, TimeInForce TimeInForce,
    bool PostOnly, Price LimitPrice, Quantity Quantity, string Status, string? VenueOrderId, long SentMs, long ExpiresAtMs);

/// <summary>A fill as stored in the log.</summary>
public sealed record LoggedFill(
    string Venue, string TradeId, string ClientOrderId, string MarketId, Outcome Outcome, OrderSide Side, Price Price, Quantity Quantity, Money Fee, bool IsMaker, long VenueMs);
