using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Engine.Orders;

namespace ArbBot.Engine.Execution.Journal;

/// <summary>
/// Where the execution side writes what happens, as it happens: attempts, orders, fills,
/// settlements, legged episodes, position checks, alerts. Writes are queued and never block the
/// kernel thread. The shipped journal is the SQLite fill log (ArbBot.Engine.Storage); the engine
/// core knows only this contract.
/// </summary>
public interface IExecutionJournal
{
    /// <summary>Rows that could not be written.</summary>
    long Failures { get; }

    /// <summary>An attempt passed risk and its orders are going out.</summary>
    void AttemptStarted(Attempt attempt, string reason, long bookAgeMs, long createdMs);

    /// <summary>Every order of an attempt is done.</summary>
    void AttemptFinished(Attempt attempt, long nowMs);

    /// <summary>An order is about to go to its venue.</summary>
    void OrderSent(ManagedOrder order, long nowMs);

    /// <summary>An order changed state or filled.</summary>
    void OrderChanged(ManagedOrder order, long nowMs);

    /// <summary>An order of an earlier run whose fate cannot be learnt is closed.</summary>
    void OrderAbandoned(string clientOrderId, string reason, long nowMs);

    /// <summary>Attempts of an earlier run whose orders are all done say how they ended.</summary>
    void CloseAttemptsLeftWorking(long nowMs);

    /// <summary>A fill of one of the engine's orders (or one booked by an operator's accept).</summary>
    void FillReceived(Fill fill, string venue, string marketId, long? groupId, long nowMs);

    /// <summary>A market resolved and the engine's positions there were settled.</summary>
    void Settled(string venue, string marketId, Outcome winner, MarketSettlement settlement, long venueMs, long nowMs);

    /// <summary>A position the venue reports differently from the engine.</summary>
    void PositionMismatch(string venue, string marketId, Outcome outcome, Quantity engine, Quantity atVenue, long sinceMs, long nowMs);

    /// <summary>A position the venue and the engine agree on again.</summary>
    void PositionAgrees(string venue, string marketId, Outcome outcome);

    /// <summary>An operator's accept of a venue's position was applied (or why not).</summary>
    void AcceptApplied(long id, string result, long nowMs);

    /// <summary>The operator's accepts of venue positions not applied yet, for one venue (read off the kernel thread).</summary>
    IReadOnlyList<PositionAccept> PendingAccepts(string venue);

    /// <summary>A legged episode started, stepped or ended.</summary>
    void LeggedChanged(LeggedEpisode episode);

    /// <summary>A legged episode of an earlier run is closed without acting.</summary>
    void LeggedAbandoned(long id, string resolution, long nowMs);

    /// <summary>An alert was raised.</summary>
    void AlertRaised(Alerts.Alert alert);

    /// <summary>Waits (up to <paramref name="timeout"/>) until every row queued so far is written.</summary>
    Task FlushAsync(TimeSpan timeout);
}
