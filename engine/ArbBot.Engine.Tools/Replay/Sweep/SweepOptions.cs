namespace ArbBot.Engine.Replay.Sweep;

/// <summary>How to run a sweep.</summary>
public sealed class SweepOptions
{
    /// <summary>Folder for the replays' own state databases (one per replay, replaced each time).</summary>
    public required string WorkDirectory { get; init; }

    /// <summary>Replays run at once (default: one per core). Each replay stays on one thread, so its results do not depend on this.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Step over damaged records instead of ending that replay there (as <c>arbbot replay --skip-damaged</c>).</summary>
    public bool SkipDamaged { get; init; }

    /// <summary>As <see cref="ReplayOptions.MaxGap"/>.</summary>
    public TimeSpan MaxGap { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Called now and then with the fraction of the whole sweep done (0 to 1) and the replays finished; from any thread, one call at a time.</summary>
    public Action<double, int>? Progress { get; init; }
}
