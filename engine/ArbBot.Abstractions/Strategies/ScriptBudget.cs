using System.ComponentModel;

namespace ArbBot.Abstractions.Strategies;

/// <summary>
/// The engine inserts a call to <see cref="Check"/> at the top of every loop body and method of a
/// strategy when it compiles it. Each strategy call gets an id; when a call runs past its time
/// budget, the engine's watchdog marks that id and the call's next check throws, so a runaway
/// loop cannot hang the kernel. Not for scripts to call.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ScriptBudget
{
    private static long s_current;
    private static long s_exceeded;

    /// <summary>The id of the call running now, 0 between calls.</summary>
    public static long Current => Volatile.Read(ref s_current);

    /// <summary>Throws <see cref="StrategyTimeoutException"/> if the watchdog has marked the running call.</summary>
    public static void Check()
    {
        long exceeded = Volatile.Read(ref s_exceeded);
        if (exceeded != 0 && exceeded == Volatile.Read(ref s_current))
        {
            Throw();
        }
    }

    /// <summary>A call with this id starts (the engine, on the kernel thread).</summary>
    public static void Begin(long callId) => Volatile.Write(ref s_current, callId);

    /// <summary>The running call ended (the engine).</summary>
    public static void End() => Volatile.Write(ref s_current, 0);

    /// <summary>Marks a call as over budget (the engine's watchdog). Harmless if that call already ended.</summary>
    public static void Exceed(long callId) => Volatile.Write(ref s_exceeded, callId);

    private static void Throw() => throw new StrategyTimeoutException();
}
