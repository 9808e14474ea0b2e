using ArbBot.Abstractions.Strategies;

namespace ArbBot.Engine.Pipeline;

/// <summary>
/// Where strategies put the intent groups they emit during one kernel event; the pipeline takes
/// them all, in order, to risk and execution after the strategies have run. Kernel thread; the
/// lists are reused, so a quiet event allocates nothing.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "It is a queue: strategies add, the pipeline takes in order; docs/architecture.md calls it the intent queue.")]
public sealed class IntentQueue
{
    private List<IntentGroup> _pending = new();
    private List<IntentGroup> _taken = new();

    /// <summary>Whether nothing is waiting.</summary>
    public bool IsEmpty => _pending.Count == 0;

    /// <summary>Adds a stamped group.</summary>
    public void Add(IntentGroup group) => _pending.Add(group);

    /// <summary>
    /// Takes every group waiting, oldest first. Groups added while the batch is handled wait for the
    /// next take. The batch stays valid until the next call.
    /// </summary>
    public IReadOnlyList<IntentGroup> TakeAll()
    {
        (_taken, _pending) = (_pending, _taken);
        _pending.Clear();
        return _taken;
    }
}
