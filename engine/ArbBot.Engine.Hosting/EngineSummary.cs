using ArbBot.Abstractions.FixedPoint;
namespace ArbBot.Engine.Hosting;

/// <summary>What the engine looks like at one moment, taken on the kernel thread for display.</summary>
/// <param name="Elapsed">Time since start.</param>
/// <param name="Events">Configured pairs (events).</param>
/// <param name="Books">Registered books.</param>
/// <param name="StaleBooks">Books stale now.</param>
/// <param name="CrossedBooks">Books crossed now.</param>
/// <param name="PairsWithGrossEdge">Pairs whose cross-venue cost is under $1 right now, before fees.</param>
/// <param name="GrossEdgeSightings">Times a pair went from no gross edge to having one, since start.</param>
/// <param name="EventsProcessed">Kernel events handled.</param>
/// <param name="BackPressureWaits">Times a connector waited on a full kernel queue.</param>
/// <param name="QueueDepthMax">Deepest queue seen.</param>
/// <param name="Venues">Per-venue figures.</param>
/// <param name="Strategies">Per-strategy figures.</param>
/// <param name="Mirror">The Redis mirror.</param>
public sealed record EngineSummary(
    TimeSpan Elapsed,
    int Events,
    int Books,
    int StaleBooks,
    int CrossedBooks,
    int PairsWithGrossEdge,
    long GrossEdgeSightings,
    long EventsProcessed,
    long BackPressureWaits,
    int QueueDepthMax,
    IReadOnlyList<VenueSummary> Venues,
    IReadOnlyList<StrategySummary> Strategies,
    Mirror.MirrorStatus Mirror)
{
    /// <summary>Trading figures (null before the order manager exists).</summary>
    public Execution.ExecutionSummary? Execution { get; init; }

    /// <summary>Frame receipt to book applied on the kernel, median over the last 4,096 updates, microseconds.</summary>
    public double LatencyP50Us { get; init; }

    /// <summary>The same, 99th percentile.</summary>
    public double LatencyP99Us { get; init; }

    /// <summary>Events holding contracts or open buys now.</summary>
    public IReadOnlyList<PositionSummary> Positions { get; init; } = [];

    /// <summary>This engine's grants of the budget it shares with other engines (null without <c>risk.shared_budget</c>).</summary>
    public SharedBudgetSummary? SharedBudget { get; init; }

    /// <summary>Pairs owned through leases (null without <c>engine.ownership_lease</c>).</summary>
    public OwnershipSummary? Ownership { get; init; }
}

/// <summary>This engine's pair leases.</summary>
/// <param name="Role">active or standby.</param>
/// <param name="Owned">Event ids of the pairs it owns now.</param>
/// <param name="Share">How many its share allows (the pairs over the live active engines, rounded up).</param>
public sealed record OwnershipSummary(string Role, IReadOnlyList<string> Owned, int Share);

/// <summary>This engine's part of a shared risk budget.</summary>
/// <param name="Name">The budget's name.</param>
/// <param name="Mode">shared, waiting for the first grant, or local share and why.</param>
/// <param name="Granted">What this engine may hold in all now.</param>
/// <param name="Total">The budget of all the engines sharing it.</param>
public sealed record SharedBudgetSummary(string Name, string Mode, Abstractions.FixedPoint.Money Granted, Abstractions.FixedPoint.Money Total);

/// <summary>
/// One event's position in an <see cref="EngineSummary"/>: a pair, or an outcome group with its
/// outcomes counted together (then YES and NO are summed over the outcomes, matched is what every
/// ending pays, unhedged the spread between the best and the worst ending).
/// </summary>
/// <param name="EventId">The configured event (a pair's, or an outcome group's).</param>
/// <param name="Yes">YES contracts held (all its venues).</param>
/// <param name="No">NO contracts held.</param>
/// <param name="Matched">YES/NO pairs (a group: dollars paid whatever happens): $1 each at settlement.</param>
/// <param name="Unhedged">Contracts without their other side (a group: best ending less worst).</param>
/// <param name="LockedIn">What the matched pairs pay minus what they cost.</param>
/// <param name="UnhedgedCost">What the unhedged contracts cost.</param>
public sealed record PositionSummary(string EventId, Quantity Yes, Quantity No, Quantity Matched, Quantity Unhedged, Money LockedIn, Money UnhedgedCost);

/// <summary>One strategy's figures in an <see cref="EngineSummary"/>.</summary>
/// <param name="Name">Configured name.</param>
/// <param name="Version">Short source hash of the live version ("-" if none).</param>
/// <param name="Status">"running", or "off: " and why.</param>
/// <param name="Calls">Calls made.</param>
/// <param name="Errors">Exceptions thrown.</param>
/// <param name="Reloads">Hot reloads.</param>
/// <param name="Opportunities">Distinct opportunities found.</param>
/// <param name="IntentGroups">Intent groups emitted, repeats included.</param>
public sealed record StrategySummary(string Name, string Version, string Status, long Calls, long Errors, int Reloads, long Opportunities, long IntentGroups)
{
    /// <summary>The strategy's .csx file.</summary>
    public string File { get; init; } = "";
}

/// <summary>One venue's figures in an <see cref="EngineSummary"/>.</summary>
public sealed record VenueSummary(
    string Name,
    string Plugin,
    string Status,
    int Books,
    int StaleBooks,
    long Deltas,
    long Snapshots,
    long Gaps,
    long Invalidations,
    long StaleDrops,
    long Rejected,
    double UpdatesPerSecond,
    long Trades = 0,
    long Drifts = 0)
{
    /// <summary>Milliseconds since the venue's last book update or trade was applied (null before the first).</summary>
    public double? LastUpdateAgeMs { get; init; }

    /// <summary>Times the venue connected again after having been connected.</summary>
    public long Reconnects { get; init; }
}
