using ArbBot.Abstractions.Orders;

namespace ArbBot.Venues.Sim;

/// <summary>The trading side of a simulated venue: orders go to its matching engine after the configured latency.</summary>
internal sealed class SimExecutor : IOrderExecutor
{
    private readonly SimVenuePlugin _plugin;
    private readonly SimVenue _venue;
    private bool _disposed;

    public SimExecutor(SimVenuePlugin plugin, SimVenue venue)
    {
        _plugin = plugin;
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

    public ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            _plugin.Release(_venue);
        }

        return ValueTask.CompletedTask;
    }
}
