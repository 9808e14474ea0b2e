using System.Collections.Concurrent;

namespace ArbBot.Engine.Control;

/// <summary>
/// The engine's control input: operator commands (halt, flatten, clear) reach the engine here,
/// whatever carried them (the Redis kill keys, the dashboard, a test). Any thread may post; the
/// kill switch takes them on its poller. The command line writes the state database instead, which
/// the kill switch reads as the persisted truth.
/// </summary>
public sealed class ControlInbox
{
    private readonly ConcurrentQueue<ControlCommand> _commands = new();

    /// <summary>Posts a command.</summary>
    public void Post(ControlCommand command) => _commands.Enqueue(command);

    /// <summary>Takes the oldest command waiting, if any.</summary>
    public bool TryTake(out ControlCommand command) => _commands.TryDequeue(out command!);
}
