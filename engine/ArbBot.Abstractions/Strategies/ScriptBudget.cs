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
    /// <summary>
    /// How far below the point a call began the stack is known to have room: the runtime's own
    /// check there promises 128 KB (64-bit), so down to 32 KB below it 96 KB remain.
    /// </summary>
    private const int KnownRoom = 32 * 1024;

    /// <summary>Above the point a call began: the frames of its callers (engine code), part of the same thread's stack.</summary>
    private const int CallerFrames = 1024;

    [ThreadStatic]
    private static CallState t_call;

    private static long s_exceeded;
    private static long s_threads;

    /// <summary>
    /// The top of the stack window of the call running now: an address [top - KnownRoom - CallerFrames, top] is on the
    /// stack of the thread that began the call (stacks of live threads never overlap), with room below it. Zero when no
    /// call runs. One plain field instead of a thread-local read and a runtime call at every method a strategy enters.
    /// </summary>
    private static nuint s_windowTop;

    private struct CallState
    {
        public long Current;
        public long LastId;

        /// <summary>
        /// The deepest point of this thread's stack where the runtime's check found room (0: none yet). The stack grows
        /// down, so a call beginning at this address or above has at least that room too, and needs no runtime call.
        /// </summary>
        public nuint RoomAt;
    }

    /// <summary>Throws <see cref="StrategyTimeoutException"/> if the watchdog has marked the call running on this thread.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Check()
    {
        long exceeded = Volatile.Read(ref s_exceeded);
        if (exceeded != 0 && exceeded == t_call.Current)
        {
            Throw();
        }
    }

    /// <summary>A call starts on this thread (the engine); returns its id.</summary>
    public static unsafe long Begin()
    {
        // Unique without a shared counter: each thread numbers its own calls under its own prefix.
        ref CallState call = ref t_call;
        long last = call.LastId;
        if (last == 0)
        {
            last = Interlocked.Increment(ref s_threads) << 40;
        }

        call.LastId = ++last;
        call.Current = last;
        byte here = 0;
        nuint at = (nuint)(&here);
        bool room = call.RoomAt != 0 && at >= call.RoomAt;
        if (!room && RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            room = true;
            call.RoomAt = at;
        }

        Volatile.Write(ref s_windowTop, room ? at + CallerFrames : 0);
        return last;
    }

    /// <summary>The call on this thread ended (the engine).</summary>
    public static void End()
    {
        Volatile.Write(ref s_windowTop, 0);
        t_call.Current = 0;
    }

    /// <summary>
    /// At the start of every method of a strategy: <see cref="Check"/>, and refuse to go deeper
    /// when the thread's stack is nearly used up (unbounded recursion would otherwise overflow it,
    /// which no handler can catch: the process would die). Throws <see cref="InsufficientExecutionStackException"/>,
    /// which ends the strategy's call like any error of its own.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Enter()
    {
        Check();
        byte here = 0;
        nuint at = (nuint)(&here);
        nuint top = Volatile.Read(ref s_windowTop);
        if (at > top || top - at > KnownRoom + CallerFrames)
        {
            EnterDeep();
        }
    }

    /// <summary>Outside the window of the call running now (deeper, another thread's, or no call): the runtime's own check.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void EnterDeep()
    {
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
