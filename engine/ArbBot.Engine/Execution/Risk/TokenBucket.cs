using System.Diagnostics;

namespace ArbBot.Engine.Execution.Risk;

/// <summary>A venue's order rate limit: refills at a steady rate up to a burst. Kernel thread only.</summary>
public sealed class TokenBucket
{
    private readonly double _perTick;
    private readonly double _burst;
    private double _tokens;
    private long _last;

    /// <summary>Creates a full bucket.</summary>
    public TokenBucket(int perSecond, int burst)
    {
        _perTick = perSecond / (double)Stopwatch.Frequency;
        _burst = burst;
        _tokens = burst;
        _last = Stopwatch.GetTimestamp();
    }

    /// <summary>Whether <paramref name="count"/> tokens are there now (nothing is taken).</summary>
    public bool Has(int count, long now)
    {
        Refill(now);
        return _tokens >= count;
    }

    /// <summary>Takes tokens (call after <see cref="Has"/>; risk-reducing orders may take the bucket below zero).</summary>
    public void Take(int count, long now)
    {
        Refill(now);
        _tokens -= count;
    }

    private void Refill(long now)
    {
        if (now > _last)
        {
            _tokens = Math.Min(_burst, _tokens + ((now - _last) * _perTick));
            _last = now;
        }
    }
}
