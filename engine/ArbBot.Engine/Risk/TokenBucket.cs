using System.Diagnostics;

namespace ArbBot.Engine.Risk;

/// <summary>
/// A venue's order rate limit: refills at a steady rate up to a burst. Counted in Stopwatch ticks
/// of credit (one token costs <c>Frequency / perSecond</c> ticks), so it is exact integer math.
/// Kernel thread only.
/// </summary>
public sealed class TokenBucket
{
    private readonly long _ticksPerToken;
    private readonly long _maxCredit;
    private long _credit;
    private long _last;

    /// <summary>Creates a full bucket.</summary>
    public TokenBucket(int perSecond, int burst)
    {
        _ticksPerToken = Math.Max(1, Stopwatch.Frequency / perSecond);
        _maxCredit = _ticksPerToken * burst;
        _credit = _maxCredit;
        _last = 0; // starts full, so the first refill (from whatever clock the caller uses) changes nothing
    }

    /// <summary>Whether <paramref name="count"/> tokens are there now (nothing is taken).</summary>
    public bool Has(int count, long now)
    {
        Refill(now);
        return _credit >= count * _ticksPerToken;
    }

    /// <summary>Takes tokens (call after <see cref="Has"/>; risk-reducing orders may take the bucket below zero).</summary>
    public void Take(int count, long now)
    {
        Refill(now);
        _credit -= count * _ticksPerToken;
    }

    private void Refill(long now)
    {
        if (now > _last)
        {
            _credit = Math.Min(_maxCredit, _credit + (now - _last));
            _last = now;
        }
    }
}
