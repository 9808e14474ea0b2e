namespace ArbBot.Abstractions.Orders;

/// <summary>
/// Places and cancels orders on one venue. Results come back through the
/// <see cref="IExecutionEventSink"/> given in the venue context, never as return values, so a
/// live venue and a simulator look the same to the engine.
/// </summary>
public interface IOrderExecutor : IAsyncDisposable
{
    /// <summary>Sends an order. Completes when it is sent, not when it is acknowledged.</summary>
    ValueTask PlaceAsync(OrderRequest order, CancellationToken cancellationToken);

    /// <summary>Asks the venue to cancel an order. A fill may still arrive before the cancel takes effect.</summary>
    ValueTask CancelAsync(string clientOrderId, CancellationToken cancellationToken);
}
