using ArbBot.Abstractions.Strategies;
using Microsoft.Extensions.Logging;

namespace ArbBot.Engine.Strategies;

/// <summary>
/// Where emitted intent groups are counted and logged: an observer of the decision pipeline, which
/// hands it every group after risk and execution have handled it. A strategy
/// re-emits an opportunity on every book update while it lasts; those are one opportunity:
/// a new one starts when the same legs have not been emitted for <see cref="EpisodeGap"/>.
/// One log line per new opportunity, at most <see cref="LogLinesPerMinute"/> a minute per strategy.
/// </summary>
public sealed class OpportunityLog
{
    /// <summary>Silence after which the same legs count as a new opportunity.</summary>
    public static readonly TimeSpan EpisodeGap = TimeSpan.FromSeconds(1);

    /// <summary>Log lines per strategy per minute; the rest are counted.</summary>
    public const int LogLinesPerMinute = 20;

    private readonly ILogger _logger;
    private readonly Dictionary<string, StrategyOpportunityStats> _byStrategy = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, long), long> _lastSeenMs = new();
    private readonly Queue<IntentGroup> _recent = new();

    /// <summary>Creates the log.</summary>
    public OpportunityLog(ILogger logger)
    {
        _logger = logger;
    }

    /// <summary>Raised on the kernel thread for every group recorded (for observers: tests, tools).</summary>
    public event Action<IntentGroup>? Emitted;

    /// <summary>Raised on the kernel thread for the first group of each new opportunity (the Redis <c>opps</c> stream's source).</summary>
    public event Action<IntentGroup>? OpportunityFound;

    /// <summary>Counts for one strategy (a zeroed record if it has emitted nothing).</summary>
    public StrategyOpportunityStats StatsFor(string strategy) =>
        _byStrategy.TryGetValue(strategy, out StrategyOpportunityStats? stats) ? stats : new StrategyOpportunityStats();

    /// <summary>The last groups emitted, newest last (at most 100).</summary>
    public IReadOnlyCollection<IntentGroup> Recent => _recent;

    /// <summary>Counts an emitted group (a new opportunity unless the same legs were emitted within <see cref="EpisodeGap"/>) and keeps it among the recent.</summary>
    public void Record(IntentGroup group)
    {
        if (!_byStrategy.TryGetValue(group.Strategy, out StrategyOpportunityStats? stats))
        {
            stats = new StrategyOpportunityStats();
            _byStrategy[group.Strategy] = stats;
        }

        stats.Groups++;
        if (group.Action == IntentAction.Cancel)
        {
            stats.Cancels++;
        }
        else
        {
            long key = Execution.Attempt.LegsKey(group);
            bool isNew = !_lastSeenMs.TryGetValue((group.Strategy, key), out long last) || group.CreatedMs - last > (long)EpisodeGap.TotalMilliseconds;
            _lastSeenMs[(group.Strategy, key)] = group.CreatedMs;
            if (isNew)
            {
                stats.Opportunities++;
                Log(group, stats);
                OpportunityFound?.Invoke(group);
            }
        }

        _recent.Enqueue(group);
        if (_recent.Count > 100)
        {
            _recent.Dequeue();
        }

        Emitted?.Invoke(group);
    }

    private void Log(IntentGroup group, StrategyOpportunityStats stats)
    {
        long minute = group.CreatedMs / 60_000;
        if (minute != stats.LogMinute)
        {
            if (stats.UnloggedThisMinute > 0)
            {
                _logger.LogInformation("{Strategy}: {Count} more opportunities in the previous minute not logged one by one", group.Strategy, stats.UnloggedThisMinute);
            }

            stats.LogMinute = minute;
            stats.LoggedThisMinute = 0;
            stats.UnloggedThisMinute = 0;
        }

        if (stats.LoggedThisMinute++ < LogLinesPerMinute)
        {
            _logger.LogInformation("opportunity {Strategy} {Event}: {Reason}", group.Strategy, group.EventId, group.Reason);
        }
        else
        {
            stats.UnloggedThisMinute++;
        }
    }
}

/// <summary>What one strategy has emitted.</summary>
public sealed class StrategyOpportunityStats
{
    /// <summary>Distinct opportunities (episodes of the same legs).</summary>
    public long Opportunities { get; internal set; }

    /// <summary>Intent groups emitted, including repeats and cancels.</summary>
    public long Groups { get; internal set; }

    /// <summary>Cancel groups emitted.</summary>
    public long Cancels { get; internal set; }

    internal long LogMinute { get; set; } = -1;

    internal int LoggedThisMinute { get; set; }

    internal int UnloggedThisMinute { get; set; }
}
