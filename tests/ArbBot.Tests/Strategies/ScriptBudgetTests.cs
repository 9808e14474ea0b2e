using System.Runtime.CompilerServices;
using ArbBot.Abstractions.Strategies;

namespace ArbBot.Tests.Strategies;

/// <summary>
/// The depth check at the top of every strategy method stops unbounded recursion with an
/// exception the engine catches, never a stack overflow (which would kill the process): inside a
/// call (the fast path, a window below where the call began), outside any call, and on a thread
/// recursing while another thread's call is running (whose window must not vouch for it); and a
/// call begun deep in the stack is checked there, though calls begun higher up found room.
/// </summary>
public sealed class ScriptBudgetTests
{
    private const int SmallStack = 1 << 20;

    [Fact]
    public void Recursion_inside_a_call_is_stopped_before_the_stack_runs_out()
    {
        Exception? thrown = OnSmallStack(() =>
        {
            ScriptBudget.Begin();
            try
            {
                Deep(0);
            }
            finally
            {
                ScriptBudget.End();
            }
        });
        Assert.IsType<InsufficientExecutionStackException>(thrown);
    }

    [Fact]
    public void Recursion_outside_any_call_is_stopped_too()
    {
        Assert.IsType<InsufficientExecutionStackException>(OnSmallStack(() => Deep(0)));
    }

    [Fact]
    public void Recursion_on_one_thread_is_stopped_while_another_threads_call_runs()
    {
        using var begun = new ManualResetEventSlim();
        using var done = new ManualResetEventSlim();
        var caller = new Thread(() =>
        {
            ScriptBudget.Begin();
            begun.Set();
            done.Wait();
            ScriptBudget.End();
        }, SmallStack);
        caller.Start();
        begun.Wait();
        try
        {
            Assert.IsType<InsufficientExecutionStackException>(OnSmallStack(() => Deep(0)));
        }
        finally
        {
            done.Set();
            caller.Join();
        }
    }

    [Fact]
    public void Methods_entered_within_a_call_pass_and_the_call_ids_stay_unique()
    {
        long first = ScriptBudget.Begin();
        int depth = Shallow(50);
        ScriptBudget.End();
        long second = ScriptBudget.Begin();
        ScriptBudget.End();
        Assert.Equal(50, depth);
        Assert.True(second > first);
    }

    [Fact]
    public void A_call_begun_where_the_stack_is_nearly_used_up_is_checked_there_though_calls_higher_up_had_room()
    {
        Exception? thrown = OnSmallStack(() =>
        {
            ScriptBudget.Begin(); // near the top of the stack: room, remembered for the calls that begin as high
            ScriptBudget.End();
            BeginWhereNoRoomIsLeft(0);
        });
        Assert.IsType<InsufficientExecutionStackException>(thrown);
    }

    /// <summary>Goes down the stack (no checks on the way) until the runtime says it is nearly used up, then begins a call there and enters a method.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int BeginWhereNoRoomIsLeft(int n)
    {
        Span<byte> frame = stackalloc byte[256];
        frame[n & 255] = 1;
        if (RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            return BeginWhereNoRoomIsLeft(n + 1) + frame[0];
        }

        ScriptBudget.Begin();
        try
        {
            ScriptBudget.Enter(); // this call's window must not be vouched for by the room found higher up
            return 0;
        }
        finally
        {
            ScriptBudget.End();
        }
    }

    private static Exception? OnSmallStack(Action action)
    {
        Exception? thrown = null;
        var thread = new Thread(() =>
        {
            try
            {
                action();
            }
            catch (Exception ex)
            {
                thrown = ex;
            }
        }, SmallStack);
        thread.Start();
        thread.Join();
        return thrown;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Deep(int n)
    {
        ScriptBudget.Enter(); // as the compiler puts at the top of every strategy method
        Span<byte> frame = stackalloc byte[256];
        frame[n & 255] = 1;
        return Deep(n + 1) + frame[0];
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Shallow(int n)
    {
        ScriptBudget.Enter();
        return n == 0 ? 0 : Shallow(n - 1) + 1;
    }
}
