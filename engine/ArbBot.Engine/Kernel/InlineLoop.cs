using System.Threading.Channels;

namespace ArbBot.Engine.Kernel;

/// <summary>
/// The replay kernel's inbox: no thread of its own. The caller is the kernel thread; an event
/// posted while nothing is queued or being handled is handled at once, anything posted while
/// handling (a command, a fill the paper executor makes) waits in an unbounded queue until
/// <see cref="RunPending"/>, so the order of events is the order they were posted.
/// </summary>
internal sealed class InlineLoop(KernelEventHandler handle)
{
    // The multi-reader kind counts its items (queue depth).
    private readonly Channel<KernelEvent> _queue = Channel.CreateUnbounded<KernelEvent>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });
    private int _queued; // counted on write, so an empty queue costs one read to see
    private bool _handling;

    public int Depth => _queue.Reader.Count;

    /// <summary>Handles the event now when the kernel thread is idle; queues it otherwise.</summary>
    public bool Post(in KernelEvent item, bool onKernelThread)
    {
        if (!_handling && Volatile.Read(ref _queued) == 0 && onKernelThread)
        {
            Handle(item);
            return true;
        }

        return TryPost(item);
    }

    /// <summary>Queues an event (the queue only refuses once stopped).</summary>
    public bool TryPost(in KernelEvent item)
    {
        Interlocked.Increment(ref _queued); // before the write, so RunPending never misses a written event
        if (_queue.Writer.TryWrite(item))
        {
            return true;
        }

        Interlocked.Decrement(ref _queued);
        return false;
    }

    /// <summary>Handles every queued event, including those posted while handling. Returns how many.</summary>
    public int RunPending()
    {
        ChannelReader<KernelEvent> reader = _queue.Reader;
        int handled = 0;
        while (Volatile.Read(ref _queued) > 0 && reader.TryRead(out KernelEvent item))
        {
            Interlocked.Decrement(ref _queued);
            Handle(item);
            handled++;
        }

        return handled;
    }

    /// <summary>Stops taking events and handles what is queued.</summary>
    public void Stop()
    {
        _queue.Writer.TryComplete();
        RunPending();
    }

    private void Handle(in KernelEvent item)
    {
        _handling = true;
        try
        {
            handle(item);
        }
        finally
        {
            _handling = false;
        }
    }
}
