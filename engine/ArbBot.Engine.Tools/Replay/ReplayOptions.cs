using ArbBot.Engine.Strategies.Compilation;

namespace ArbBot.Engine.Replay;

/// <summary>How to replay.</summary>
public sealed class ReplayOptions
{
    /// <summary>Where the replay's own state database goes (attempts, orders, fills); replaced on each replay.</summary>
    public required string StateDatabase { get; init; }

    /// <summary>
    /// 0: as fast as possible. Otherwise wait so recorded time passes this many times faster than
    /// real time (1: at recorded speed). Decisions are the same either way: they follow the virtual clock.
    /// </summary>
    public double Speed { get; init; }

    /// <summary>After the last record, how much recorded time to let pass so working orders end and legs get hedged.</summary>
    public TimeSpan WindDown { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Recorded time between two records longer than this is skipped (timers do not fire across
    /// it, the report says where): a record with a wrong timestamp, or a recording paused for
    /// hours, would otherwise fire the kernel's tick for every 250 ms of the gap. Zero: never skip.
    /// </summary>
    public TimeSpan MaxGap { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Makes the replay's strategy compiler from the compile cache's directory (<c>arbbot replay</c>: a compile process of
    /// its own, as <c>arbbot run</c>); unset, strategies compile in this process. The replay disposes it.
    /// </summary>
    public Func<string, IStrategyCompiler>? StrategyCompiler { get; init; }

    /// <summary>Called now and then with the fraction done (0 to 1) and records so far, from the replaying thread.</summary>
    public Action<double, long>? Progress { get; init; }
}
