using ArbBot.Abstractions.FixedPoint;

namespace ArbBot.Engine.Execution;

/// <summary>Trading figures at one moment (taken on the kernel thread).</summary>
/// <param name="Mode">paper or live.</param>
/// <param name="Attempts">Attempts started (groups that passed risk, plus the policy's own orders).</param>
/// <param name="AttemptsByStatus">Finished attempts by status.</param>
/// <param name="OrdersSent">Orders sent.</param>
/// <param name="OrdersFilled">Orders filled in full.</param>
/// <param name="Fills">Fills received.</param>
/// <param name="WorkingOrders">Orders working now.</param>
/// <param name="Rejections">Risk rejections by reason.</param>
/// <param name="DuplicatesDropped">Signals dropped while the same attempt was working.</param>
/// <param name="FillsDuringCancel">Fills that arrived with a cancel on its way (each still counted and hedged).</param>
/// <param name="LeggedEpisodes">Episodes ended.</param>
/// <param name="LeggedOpen">Episodes open now.</param>
/// <param name="LeggedByResolution">Ended episodes by how they ended.</param>
/// <param name="LeggedLoss">Total cost of ended episodes.</param>
/// <param name="Realised">Realised P&amp;L (sells and settlements).</param>
/// <param name="LockedIn">Profit locked in by matched YES/NO pairs (paid at settlement).</param>
/// <param name="UnhedgedExposure">Cost of unhedged contracts now.</param>
/// <param name="UnhedgedMarkToMarket">Those contracts at the best bid minus their cost.</param>
/// <param name="MaxUnhedgedSeen">Largest unhedged exposure seen.</param>
/// <param name="RealisedEdge">Realised edge of finished two-leg attempts.</param>
/// <param name="PredictedEdge">Predicted edge of the same attempts, scaled to what filled.</param>
/// <param name="FillLogFailures">Fill log writes that failed (each retried; non-zero means look at the disk).</param>
/// <param name="Kill">Kill switch: "off", or its mode, source and reason.</param>
/// <param name="Routes">Per venue: where orders go, sent, errors, breaker state.</param>
public sealed record ExecutionSummary(
    string Mode,
    long Attempts,
    IReadOnlyDictionary<string, long> AttemptsByStatus,
    long OrdersSent,
    long OrdersFilled,
    long Fills,
    int WorkingOrders,
    IReadOnlyDictionary<string, long> Rejections,
    long DuplicatesDropped,
    long FillsDuringCancel,
    int LeggedEpisodes,
    int LeggedOpen,
    IReadOnlyDictionary<string, int> LeggedByResolution,
    Money LeggedLoss,
    Money Realised,
    Money LockedIn,
    Money UnhedgedExposure,
    Money UnhedgedMarkToMarket,
    Money MaxUnhedgedSeen,
    Money RealisedEdge,
    Money PredictedEdge,
    long FillLogFailures,
    string Kill,
    IReadOnlyList<RouteSummary> Routes)
{
    /// <summary>P&amp;L now: realised, plus locked in, plus the unhedged contracts at the best bid less their cost.</summary>
    public Money Pnl => Realised + LockedIn + UnhedgedMarkToMarket;
}

/// <summary>One venue's order route.</summary>
public sealed record RouteSummary(string Venue, string Kind, long Sent, long Errors, long BreakerTrips, bool BreakerOpen);
