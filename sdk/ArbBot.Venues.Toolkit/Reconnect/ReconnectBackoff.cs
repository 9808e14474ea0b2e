namespace ArbBot.Venues.Toolkit.Reconnect;

/// <summary>
/// How long a connection waits before trying again: exponential in the failures in a row, between
/// a floor and a ceiling, with full jitter (a random point in the window), so many clients that lost
/// one venue at once do not all come back at once.
/// </summary>
public sealed class ReconnectBackoff
{
    private readonly int _minMs;
    private readonly int _maxMs;
    private readonly Random _jitter;

    /// <summary>Creates the backoff: at least <paramref name="minMs"/>, at most <paramref name="maxMs"/> milliseconds.</summary>
    /// <param name="minMs">The shortest wait (and the first window's width).</param>
    /// <param name="maxMs">The longest wait.</param>
    /// <param name="jitter">The random source (seeded in tests); a shared one by default.</param>
    public ReconnectBackoff(int minMs, int maxMs, Random? jitter = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(minMs);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMs, minMs);
        _minMs = minMs;
        _maxMs = maxMs;
        _jitter = jitter ?? Random.Shared;
    }

    /// <summary>The wait after <paramref name="failures"/> failures in a row: between the floor and min(ceiling, floor x 2^failures).</summary>
    public TimeSpan Delay(int failures)
    {
        long window = Math.Min(_maxMs, (long)_minMs << Math.Clamp(failures, 0, 16));
        int extra = window > _minMs ? _jitter.Next(0, (int)(window - _minMs)) : 0;
        return TimeSpan.FromMilliseconds(_minMs + extra);
    }

    /// <summary>Waits <see cref="Delay"/>; returns early, without throwing, when <paramref name="stop"/> is cancelled.</summary>
    public Task WaitAsync(int failures, CancellationToken stop) =>
        Task.Delay(Delay(failures), stop).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}
