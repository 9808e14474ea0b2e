using ArbBot.Abstractions.Orders;
using ArbBot.Engine.Risk;

namespace ArbBot.Engine.Execution;

/// <summary>
/// Where one venue's orders go, with the venue's rate limit and circuit breaker. The executor is
/// looked up on each order, so a plugin reload (new executor) is picked up without a restart.
/// </summary>
public sealed class ExecutionRoute
{
    private readonly Func<IOrderExecutor?> _executor;

    /// <summary>Creates a route.</summary>
    public ExecutionRoute(int venueIndex, string venue, string kind, Func<IOrderExecutor?> executor, TokenBucket rateLimit, CircuitBreaker breaker)
    {
        VenueIndex = venueIndex;
        Venue = venue;
        Kind = kind;
        _executor = executor;
        RateLimit = rateLimit;
        Breaker = breaker;
    }

    /// <summary>Venue index.</summary>
    public int VenueIndex { get; }

    /// <summary>Venue name.</summary>
    public string Venue { get; }

    /// <summary>What fills the orders: "simulator", "paper (book)", "live", or "none: why".</summary>
    public string Kind { get; }

    /// <summary>The executor now (null when the venue cannot trade or is stopped).</summary>
    public IOrderExecutor? Executor => _executor();

    /// <summary>Orders per second.</summary>
    public TokenBucket RateLimit { get; }

    /// <summary>Errors in a row halt it for a while.</summary>
    public CircuitBreaker Breaker { get; }

    /// <summary>Orders sent.</summary>
    public long Sent { get; internal set; }

    /// <summary>Orders rejected by the venue or failed in the executor.</summary>
    public long Errors { get; internal set; }
}
