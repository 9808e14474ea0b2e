using System.Diagnostics;

namespace ArbBot.Venues.Kalshi.Http;

/// <summary>Kalshi's per-second token budget, kept client-side so requests wait instead of drawing 429s.</summary>
internal sealed class TokenBudget
{
    private readonly long _ticksPerToken;
    private readonly long _maxCredit;
    private readonly object _gate = new();
    private long _credit;
    private long _last = Stopwatch.GetTimestamp();

    public TokenBudget(int tokensPerSecond, int burst)
    {
        _ticksPerToken = Math.Max(1, Stopwatch.Frequency / tokensPerSecond);
        _maxCredit = _ticksPerToken * burst;
        _credit = _maxCredit;
    }

    public async Task TakeAsync(int tokens, CancellationToken cancellationToken)
    {
        while (true)
        {
            long wait;
            lock (_gate)
            {
                long now = Stopwatch.GetTimestamp();
                _credit = Math.Min(_maxCredit, _credit + (now - _last));
                _last = now;
                long cost = tokens * _ticksPerToken;
                if (_credit >= cost)
                {
                    _credit -= cost;
                    return;
                }

                wait = cost - _credit;
            }

            await Task.Delay(TimeSpan.FromTicks(Math.Max(1, wait * TimeSpan.TicksPerSecond / Stopwatch.Frequency)), cancellationToken).ConfigureAwait(false);
        }
    }
}
