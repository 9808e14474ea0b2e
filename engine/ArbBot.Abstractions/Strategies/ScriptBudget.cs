using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace ArbBot.Abstractions.Strategies;

/// <summary>
/// The engine inserts a call to <see cref="Check"/> at the top of every loop body and method of a
/// strategy when it compiles it. Each strategy call gets a process-wide unique id, remembered on
/// the calling thread; when a call runs past its time budget, the engine's watchdog marks that
/// id and the call's next check throws, so a runaway loop cannot hang a kernel thread.
/// Not for scripts to call.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ScriptBudget
{
    [ThreadStatic]
    private static long t_current;

    [ThreadStatic]
    private static long t_lastId;

    private static long s_exceeded;
    private static long s_threads;

    /// <summary>Throws <see cref="StrategyTimeoutException"/> if the watchdog has marked the call running on this thread.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Check()
    {
        long exceeded = Volatile.Read(ref s_exceeded);
        if (exceeded != 0 && exceeded == t_current)
        {
            Throw();
        }
    }

    /// <summary>A call starts on this thread (the engine); returns its id.</summary>
    public static long Begin()
    {
        // Unique without a shared counter: each thread numbers its own calls under its own prefix.
        long last = t_lastId;
        if (last == 0)
        {
            last = Interlocked.Increment(ref s_threads) << 40;
        }

        t_lastId = ++last;
        t_current = last;
        return last;
    }

    /// <summary>The call on this thread ended (the engine).</summary>
    public static void End() => t_current = 0;

    /// <summary>
    /// At the start of every method of a strategy: <see cref="Check"/>, and refuse to go deeper
    /// when the thread's stack is nearly used up (unbounded recursion would otherwise overflow it,
    /// which no handler can catch: the process would die). Throws <see cref="InsufficientExecutionStackException"/>,
    /// which ends the strategy's call like any error of its own.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Enter()
    {
        Check();
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            ThrowTooDeep();
        }
    }

    /// <summary>Marks a call as over budget (the engine's watchdog). Harmless if that call already ended.</summary>
    public static void Exceed(long callId) => Volatile.Write(ref s_exceeded, callId);

    private static void Throw() => throw new StrategyTimeoutException();

    private static void ThrowTooDeep() => throw new InsufficientExecutionStackException("the strategy's calls went too deep (unbounded recursion?): the kernel thread's stack is nearly used up");
}
