using System.Diagnostics;

namespace ArbBot.Engine.Risk;

/// <summary>
/// Halts new orders to a venue after a run of errors (rejects, executor failures), and lets them
/// through again after a cooldown. The first order after the cooldown is a trial: an error opens
/// the breaker again at once; a success closes it. Kernel thread only.
/// </summary>
public sealed class CircuitBreaker
{
    private readonly int _threshold;
    private readonly long _cooldownTicks;
    private int _consecutiveErrors;
    private long _openUntil;
    private bool _trial;

    /// <summary>Creates a closed breaker.</summary>
    public CircuitBreaker(int threshold, TimeSpan cooldown)
    {
        _threshold = threshold;
        _cooldownTicks = (long)(cooldown.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>Times the breaker opened.</summary>
    public long Trips { get; private set; }

    /// <summary>Errors in a row so far.</summary>
    public int ConsecutiveErrors => _consecutiveErrors;

    /// <summary>Whether orders are held back now.</summary>
    public bool IsOpen(long now)
    {
        if (_openUntil == 0)
        {
            return false;
        }

        if (now < _openUntil)
        {
            return true;
        }

        _openUntil = 0;
        _trial = true; // cooldown over: let orders through; the next error re-opens at once
        return false;
    }

    /// <summary>An order failed. Returns true when this error opened the breaker.</summary>
    public bool RecordError(long now)
    {
        _consecutiveErrors++;
        if (_openUntil == 0 && (_trial || _consecutiveErrors >= _threshold))
        {
            _openUntil = now + _cooldownTicks;
            _trial = false;
            Trips++;
            return true;
        }

        return false;
    }

    /// <summary>An order was accepted or filled.</summary>
    public void RecordSuccess()
    {
        _consecutiveErrors = 0;
        _trial = false;
    }
}
