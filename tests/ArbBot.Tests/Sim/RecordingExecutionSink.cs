using ArbBot.Abstractions.Orders;

namespace ArbBot.Tests.Sim;

/// <summary>Collects what an executor reports.</summary>
internal sealed class RecordingExecutionSink : IExecutionEventSink
{
    private readonly object _gate = new();

    public List<OrderUpdate> Updates { get; } = new();

    public List<Fill> Fills { get; } = new();

    public void OnOrderUpdate(OrderUpdate update)
    {
        lock (_gate)
        {
            Updates.Add(update);
        }
    }

    public void OnFill(Fill fill)
    {
        lock (_gate)
        {
            Fills.Add(fill);
        }
    }
}
