using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Orders;

namespace ArbBot.Abstractions.Account;

/// <summary>
/// What the venue knows of the account, read back so the engine can reconcile with it: the venue
/// is the source of truth for orders, fills, positions and cash. An executor implements this
/// alongside <see cref="IOrderExecutor"/> (contract 2.2); the engine calls it at start in live
/// mode, after the executor reports a reconnect (<see cref="IExecutionEventSink.OnReconnected"/>)
/// and every <c>execution.reconcile_interval</c>. Calls run off the kernel thread; a failure is
/// thrown (any exception) and the engine treats the venue as not reconciled.
/// </summary>
public interface IVenueAccount
{
    /// <summary>Every order of the account still resting at the venue, the engine's or not.</summary>
    ValueTask<IReadOnlyList<VenueOrder>> OpenOrdersAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The account's executions at or after a time (Unix ms), oldest first, with the same trade
    /// ids the executor reports on its stream (so the engine counts each once).
    /// </summary>
    ValueTask<IReadOnlyList<VenueFill>> FillsSinceAsync(long sinceMs, CancellationToken cancellationToken);

    /// <summary>Contracts held per market and outcome (none listed: nothing held there).</summary>
    ValueTask<IReadOnlyList<VenuePosition>> PositionsAsync(CancellationToken cancellationToken);

    /// <summary>Cash or collateral the account can spend now, or null if the venue does not say.</summary>
    ValueTask<Money?> BalanceAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Takes over an order an earlier run of the engine placed and the venue still rests: from now
    /// on its fills and updates are reported under <see cref="OrderRequest.ClientOrderId"/> like
    /// those of an order placed in this run. <paramref name="knownTradeIds"/> are its executions
    /// the engine has already counted (not to be reported again), <paramref name="filled"/> their total.
    /// </summary>
    void Adopt(OrderRequest request, string venueOrderId, Quantity filled, IReadOnlyCollection<string> knownTradeIds);

    /// <summary>Cancels a resting order the engine does not know (by the venue's id); throws if the venue refuses.</summary>
    ValueTask CancelUnknownAsync(VenueOrder order, CancellationToken cancellationToken);
}
