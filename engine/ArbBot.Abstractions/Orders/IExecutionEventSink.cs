namespace ArbBot.Abstractions.Orders;

/// <summary>Where an executor reports what happened to orders. The engine queues these for its kernel loop.</summary>
public interface IExecutionEventSink
{
    /// <summary>An order changed state.</summary>
    void OnOrderUpdate(OrderUpdate update);

    /// <summary>An order (partly) filled.</summary>
    void OnFill(Fill fill);

    /// <summary>
    /// The executor's private channel (fills, order events) came back after a drop: what it missed
    /// is on the venue, and the engine reconciles with it (<see cref="Account.IVenueAccount"/>). Contract 2.2; a no-op by default.
    /// </summary>
    void OnReconnected()
    {
    }
}
