namespace ArbBot.Abstractions.Orders;

/// <summary>Where an executor reports what happened to orders. The engine queues these for its kernel loop.</summary>
public interface IExecutionEventSink
{
    /// <summary>An order changed state.</summary>
    void OnOrderUpdate(OrderUpdate update);

    /// <summary>An order (partly) filled.</summary>
    void OnFill(Fill fill);
}
