using System.Diagnostics;

namespace ArbBot.Engine.Kernel;

/// <summary>
/// The live kernel's inbox and thread: connectors write into a lock-free bounded ring
/// (<see cref="KernelQueue"/>) from their own threads; one dedicated thread reads it and handles
/// each event. When the ring is full, posting waits (back-pressure toward the connectors, counted).
/// An idle thread polls for <c>idle_spin</c> (without one: briefly, while events come faster than one every
/// <see cref="BusyGap"/>), then sleeps without allocating until the next post.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The wake event never creates a kernel wait handle (nobody reads WaitHandle), so it holds nothing to release; disposing it would race a late poster's Set.")]
internal sealed class ThreadedLoop(int capacity, KernelEventHandler handle)
{
    /// <summary>Without <c>idle_spin</c>: events closer than this apart make an idle kernel poll before sleeping (<see cref="IdlePolling"/>).</summary>
    public static readonly TimeSpan BusyGap = TimeSpan.FromMicroseconds(50);

    private readonly KernelQueue _ring = new(capacity);
    private readonly ManualResetEventSlim _wake = new(false);
    private int _sleeping; // 1 while the kernel thread waits on _wake
    private volatile bool _completed;
    private long _backPressureWaits;
    private Thread? _thread;

    public int Depth => _ring.Count;

    public long BackPressureWaits => Interlocked.Read(ref _backPressureWaits);

    public Thread Start(TimeSpan idleSpin)
    {
        long spinTicks = StopwatchTicks.Of(idleSpin);
        _thread = new Thread(() => Run(spinTicks)) { IsBackground = true, Name = "arbbot-kernel-0" };
        _thread.Start();
        return _thread;
    }

    /// <summary>Queues an event, waiting while the ring is full. Returns false once stopping.</summary>
    public bool Post(in KernelEvent item)
    {
        if (TryPost(item))
        {
            return true;
        }

        if (_completed)
        {
            return false;
        }

        // Full: wait for the kernel to make room (spinning, then yielding, then sleeping a millisecond at a time).
        Interlocked.Increment(ref _backPressureWaits);
        var wait = new SpinWait();
        while (!TryPost(item))
        {
            if (_completed)
            {
                return false;
            }

            wait.SpinOnce();
        }

        return true;
    }

    /// <summary>Queues an event if there is room now.</summary>
    public bool TryPost(in KernelEvent item)
    {
        if (_completed || !_ring.TryWrite(item))
        {
            return false;
        }

        // The write above was a full fence: if the kernel went to sleep before it, this sees so and wakes it;
        // if after, the kernel's own check before sleeping sees the item.
        if (Volatile.Read(ref _sleeping) != 0)
        {
            _wake.Set();
        }

        return true;
    }

    /// <summary>Stops taking events, lets the thread drain what is queued, and waits for it.</summary>
    public async ValueTask StopAsync()
    {
        _completed = true;
        _wake.Set();
        if (_thread is { } thread && thread != Thread.CurrentThread)
        {
            await Task.Run(() => thread.Join()).ConfigureAwait(false);
        }
    }

    private void Run(long spinTicks)
    {
        var polling = new IdlePolling(spinTicks, StopwatchTicks.Of(BusyGap));
        while (true)
        {
            while (_ring.TryRead(out KernelEvent item))
            {
                handle(item);
            }

            if (_completed)
            {
                if (_ring.HasItem)
                {
                    continue; // posted just before the stop: handled
                }

                return;
            }

            long spin = polling.SpinTicks;
            long idleFrom = Stopwatch.GetTimestamp();
            if (spin <= 0 || !SpinForWork(spin))
            {
                Sleep();
            }

            polling.Idled(Stopwatch.GetTimestamp() - idleFrom);
        }
    }

    private bool SpinForWork(long spinTicks)
    {
        long until = Stopwatch.GetTimestamp() + spinTicks;
        while (Stopwatch.GetTimestamp() < until)
        {
            if (_ring.HasItem)
            {
                return true;
            }

            Thread.SpinWait(10);
        }

        return false;
    }

    /// <summary>
    /// Waits for the next post without allocating: says it is asleep (a full fence), looks once
    /// more (a post that came just before sees no sleeper and does not wake it), then waits.
    /// </summary>
    private void Sleep()
    {
        Interlocked.Exchange(ref _sleeping, 1);
        if (!_ring.HasItem && !_completed)
        {
            _wake.Wait();
        }

        _wake.Reset();
        Volatile.Write(ref _sleeping, 0);
    }
}
