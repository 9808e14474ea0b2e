using System.Threading.RateLimiting;

namespace ArbBot.Venues.Toolkit.Execution;

/// <summary>
/// A venue's request allowance as a token bucket (System.Threading.RateLimiting): requests wait,
/// oldest first, until their tokens are there, so a burst of orders is paced to the venue's limit
/// instead of being refused by it.
/// </summary>
public sealed class RequestBudget : IDisposable
{
    private readonly TokenBucketRateLimiter _bucket;

    /// <summary>Creates a budget refilled at <paramref name="tokensPerSecond"/> that holds at most <paramref name="burst"/> tokens.</summary>
    public RequestBudget(int tokensPerSecond, int burst)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tokensPerSecond);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(burst);

        // Refilled in small steps so the rate holds for slow and fast budgets alike: one token per
        // 1/rate seconds up to 100 a second, then rate/100 tokens every 10 ms.
        (TimeSpan period, int perPeriod) = tokensPerSecond <= 100
            ? (TimeSpan.FromTicks(TimeSpan.TicksPerSecond / tokensPerSecond), 1)
            : (TimeSpan.FromMilliseconds(10), tokensPerSecond / 100);
        _bucket = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = perPeriod,
            ReplenishmentPeriod = period,
            QueueLimit = 100_000,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }

    /// <summary>Waits until <paramref name="cost"/> tokens are taken; throws when the queue of waiting requests is full.</summary>
    public async ValueTask WaitAsync(int cost, CancellationToken cancellationToken)
    {
        using RateLimitLease lease = await _bucket.AcquireAsync(cost, cancellationToken).ConfigureAwait(false);
        if (!lease.IsAcquired)
        {
            throw new InvalidOperationException("the request queue of the rate limiter is full");
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _bucket.Dispose();
}
