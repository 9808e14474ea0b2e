using ArbBot.Abstractions.Account;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Orders;

namespace ArbBot.Venues.Sim;

/// <summary>
/// The trading side of a simulated venue: orders go to its matching engine after the configured
/// latency. Its account (<see cref="IVenueAccount"/>) is the venue's own record; a simulated world
/// starts afresh each run, so there is never an earlier run's order to adopt, and cash is not limited.
/// </summary>
internal sealed class SimExecutor : IOrderExecutor, IVenueAccount
{
    private readonly SimVenue _venue;
    private bool _disposed;

    public SimExecutor(SimVenue venue)
    {
        _venue = venue;
        _venue.AddUser();
    }

    public ValueTask PlaceAsync(OrderRequest order, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _venue.Place(order);
        return ValueTask.CompletedTask;
    }

    public ValueTask CancelAsync(string clientOrderId, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _venue.Cancel(clientOrderId);
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<VenueOrder>> OpenOrdersAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_venue.Account.OpenOrders());

    public ValueTask<IReadOnlyList<VenueFill>> FillsSinceAsync(long sinceMs, CancellationToken cancellationToken) => ValueTask.FromResult(_venue.Account.FillsSince(sinceMs));

    public ValueTask<IReadOnlyList<VenuePosition>> PositionsAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_venue.Account.Positions());

    public ValueTask<Money?> BalanceAsync(CancellationToken cancellationToken) => ValueTask.FromResult<Money?>(null);

    public void Adopt(OrderRequest request, string venueOrderId, Quantity filled, IReadOnlyCollection<string> knownTradeIds)
    {
        // Nothing to take over: an earlier run's simulated orders ended with its world.
    }

    public ValueTask CancelUnknownAsync(VenueOrder order, CancellationToken cancellationToken)
    {
        if (order.ClientOrderId is { } id)
        {
            _venue.Cancel(id);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            _venue.RemoveUser();
        }

        return ValueTask.CompletedTask;
    }
}
