using ArbBot.Abstractions.FixedPoint;

namespace ArbBot.Engine.Configuration;

/// <summary>The whole of arbbot.yaml, validated.</summary>
public sealed record ArbBotConfig(
    string SourcePath,
    EngineOptions Engine,
    IReadOnlyList<string> PluginSearchPaths,
    IReadOnlyList<VenueConfig> Venues,
    IReadOnlyList<PairConfig> Pairs,
    IReadOnlyList<StrategyConfig> Strategies,
    RiskLimits Risk,
    RedisOptions Redis)
{
    /// <summary>Folder of the config file; relative paths in it are relative to this.</summary>
    public string BaseDirectory => Path.GetDirectoryName(Path.GetFullPath(SourcePath)) ?? ".";

    /// <summary>The <c>execution:</c> section (defaults when absent).</summary>
    public ExecutionOptions Execution { get; init; } = ExecutionOptions.Default;

    /// <summary>The <c>alerts:</c> section (defaults when absent).</summary>
    public AlertOptions Alerts { get; init; } = AlertOptions.Default;

    /// <summary>The <c>metrics:</c> section (defaults when absent: no push).</summary>
    public MetricsOptions Metrics { get; init; } = MetricsOptions.Default;

    /// <summary>The reviewed pairs file (<c>pairs_file:</c>, full path) whose approved pairs were added to <see cref="Pairs"/>; null if none.</summary>
    public string? PairsFile { get; init; }

    /// <summary>
    /// The <c>groups:</c> section and the approved groups of the groups file: events whose outcomes
    /// are separate markets (each outcome one of <see cref="Pairs"/>), for strategies that buy a
    /// basket over the outcomes.
    /// </summary>
    public IReadOnlyList<GroupConfig> Groups { get; init; } = [];

    /// <summary>The reviewed groups file (<c>groups_file:</c>, full path) whose approved groups were added to <see cref="Groups"/> (their outcomes to <see cref="Pairs"/>); null if none.</summary>
    public string? GroupsFile { get; init; }

    /// <summary>The state database's full path (attempts, orders, fills, legged episodes, kill switch).</summary>
    public string StateDatabasePath => Path.GetFullPath(Execution.StateDatabase, BaseDirectory);
}

/// <summary>The <c>engine:</c> section.</summary>
/// <param name="Id">Engine id (distinguishes engines sharing one Redis).</param>
/// <param name="ChannelCapacity">Kernel queue capacity, in events.</param>
/// <param name="TimerInterval">How often the kernel's timer fires.</param>
/// <param name="SummaryInterval">How often the run summary refreshes.</param>
/// <param name="CacheDirectory">Where compiled strategies are cached (relative to the config file).</param>
public sealed record EngineOptions(string Id, int ChannelCapacity, TimeSpan TimerInterval, TimeSpan SummaryInterval, string CacheDirectory)
{
    /// <summary>How long the kernel thread polls an empty queue before blocking (<c>idle_spin</c>; zero, the default, blocks at once).</summary>
    public TimeSpan IdleSpin { get; init; }

    /// <summary>
    /// <c>strict_venues</c> (or <c>arbbot run --strict</c>): a configured venue that cannot start
    /// stops the run (exit 2) instead of the engine going on without it.
    /// </summary>
    public bool StrictVenues { get; init; }

    /// <summary>How long the venue's tickers may keep disagreeing with a book before it counts as drifted and is resynced (<c>drift_check</c>; zero turns it off).</summary>
    public TimeSpan DriftCheck { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A connected venue from which nothing at all arrives for this long (no book change, trade,
    /// ticker or status: a frozen process, a half-open connection) is silent: its books are made
    /// stale and asked for again, orders on them stop, <c>/health</c> says so and an alert goes out
    /// (<c>silent_after</c>; zero turns it off).
    /// </summary>
    public TimeSpan SilentAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A kernel thread that handles nothing (not even its own timer) for this long is stuck: the
    /// watchdog engages the kill switch, cancels resting orders at the venues and the run exits
    /// non-zero (<c>stuck_after</c>; zero turns it off).
    /// </summary>
    public TimeSpan StuckAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// <c>ownership_lease</c>: engines on one Redis configured with the same pairs split them, each pair
    /// owned by one engine at a time through a lease of this length (docs/redis.md, "Pair ownership");
    /// zero (the default, <c>off</c>) trades every configured pair without asking.
    /// </summary>
    public TimeSpan OwnershipLease { get; init; }

    /// <summary><c>role: standby</c>: owns no pair until an owner is gone (needs <see cref="OwnershipLease"/>).</summary>
    public bool Standby { get; init; }
}

/// <summary>One entry of <c>venues:</c>.</summary>
/// <param name="Name">Venue name used everywhere else (pairs, Redis keys).</param>
/// <param name="Plugin">Plugin name or DLL path.</param>
/// <param name="Settings">Plugin settings as given.</param>
/// <param name="SettingLines">Line of each settings key, for error messages.</param>
/// <param name="Fees">The venue's fee model (from <c>fees:</c>; none if absent).</param>
/// <param name="Line">Line of the entry.</param>
public sealed record VenueConfig(
    string Name,
    string Plugin,
    IReadOnlyDictionary<string, string> Settings,
    IReadOnlyDictionary<string, long> SettingLines,
    Abstractions.Fees.IFeeModel Fees,
    long Line)
{
    /// <summary>Where paper orders fill (<c>paper_fills:</c>): the plugin's own simulator, or the engine's book-based paper executor.</summary>
    public PaperFills PaperFills { get; init; } = PaperFills.Auto;

    /// <summary>The <c>fees:</c> entry as written (what <see cref="Fees"/> was made from).</summary>
    public FeeSpec FeeSpec { get; init; } = FeeSpec.None;

    /// <summary>
    /// <c>paper_balance_usd:</c> the cash a paper run starts with on this venue; groups that could
    /// not be paid from what is left are refused (<c>insufficient_balance</c>). Null: not limited.
    /// </summary>
    public Abstractions.FixedPoint.Money? PaperBalanceUsd { get; init; }
}

/// <summary>Where a venue's orders fill in paper mode.</summary>
public enum PaperFills
{
    /// <summary>The plugin's own simulator if it has one, else the engine's paper executor over live books.</summary>
    Auto,

    /// <summary>The engine's paper executor over the venue's live books, even if the plugin simulates.</summary>
    Book,
}

/// <summary>One entry of <c>pairs:</c> (or an approved pair of the pairs file): the same contract on one or more venues.</summary>
/// <param name="EventId">Event id.</param>
/// <param name="Legs">One per venue.</param>
/// <param name="Line">Line of the entry.</param>
public sealed record PairConfig(string EventId, IReadOnlyList<PairLegConfig> Legs, long Line)
{
    /// <summary>The file the entry is in (the config, or the pairs file).</summary>
    public string SourceFile { get; init; } = "";
}

/// <summary>
/// One entry of <c>groups:</c>: an event with several outcomes, each a configured pair (the same
/// outcome's market on one or more venues), so a group can span venues.
/// </summary>
/// <param name="EventId">The group's event id (not a pair's).</param>
/// <param name="Outcomes">The pairs' event ids, one per outcome.</param>
/// <param name="Exhaustive">
/// A person checked that exactly one outcome resolves YES on every venue (mutually exclusive, none
/// missing, no "other", the same resolution rules): only then does a set of YES on every outcome
/// pay $1, and a set of NO pay N - 1.
/// </param>
/// <param name="Line">Line of the entry.</param>
public sealed record GroupConfig(string EventId, IReadOnlyList<string> Outcomes, bool Exhaustive, long Line)
{
    /// <summary>Most outcomes in one group (the edge sizer's legs).</summary>
    public const int MaxOutcomes = 32;
}

/// <summary>One venue's market for a pair.</summary>
/// <param name="Venue">Venue name.</param>
/// <param name="Market">The venue's market id.</param>
/// <param name="YesId">The venue's YES instrument id, where outcomes have their own.</param>
/// <param name="NoId">The venue's NO instrument id, where outcomes have their own.</param>
/// <param name="Line">Line of the leg.</param>
public sealed record PairLegConfig(string Venue, string Market, string? YesId, string? NoId, long Line);

/// <summary>One entry of <c>strategies:</c>.</summary>
/// <param name="Name">Strategy name.</param>
/// <param name="File">Path of the .csx file, relative to the config.</param>
/// <param name="Enabled">Whether it runs.</param>
/// <param name="Parameters">Its parameters as given.</param>
/// <param name="ParameterLines">Line of each parameter, for error messages.</param>
/// <param name="TimeBudget">Longest one call may run before it is stopped and the strategy disabled.</param>
/// <param name="MaxErrors">Errors within <paramref name="ErrorWindow"/> that disable the strategy until its file changes.</param>
/// <param name="ErrorWindow">Window for <paramref name="MaxErrors"/>.</param>
/// <param name="Line">Line of the entry.</param>
public sealed record StrategyConfig(
    string Name,
    string File,
    bool Enabled,
    IReadOnlyDictionary<string, string> Parameters,
    IReadOnlyDictionary<string, long> ParameterLines,
    TimeSpan TimeBudget,
    int MaxErrors,
    TimeSpan ErrorWindow,
    long Line)
{
    /// <summary>
    /// Most managed memory one call may allocate (<c>allocation_budget_mb</c>, default 16): a call
    /// past it disables the strategy and unloads its code, with whatever its static fields held.
    /// </summary>
    public long AllocationBudgetBytes { get; init; } = 16L << 20;

    /// <summary>Most alerts the strategy raises in a minute (<c>alerts_per_minute</c>, default 10); the rest are counted.</summary>
    public int AlertsPerMinute { get; init; } = 10;

    /// <summary>Whether two entries configure the strategy alike (line numbers aside): a change to any of it re-parameterises it.</summary>
    public bool SameSettings(StrategyConfig other) =>
        Name == other.Name && File == other.File && Enabled == other.Enabled && TimeBudget == other.TimeBudget && MaxErrors == other.MaxErrors
        && ErrorWindow == other.ErrorWindow && AllocationBudgetBytes == other.AllocationBudgetBytes && AlertsPerMinute == other.AlertsPerMinute
        && Parameters.Count == other.Parameters.Count
        && Parameters.All(p => other.Parameters.TryGetValue(p.Key, out string? value) && value == p.Value);
}

/// <summary>The <c>risk:</c> section. Dollar limits are exact.</summary>
/// <param name="MaxOrderUsd">Largest notional (limit price times size) of one order.</param>
/// <param name="MaxEventExposureUsd">Largest cost of positions plus open buys on one event.</param>
/// <param name="MaxTotalExposureUsd">The same over all events.</param>
/// <param name="MaxUnhedgedUsd">Largest unhedged exposure (cost of contracts without their opposite), now plus what an order could add.</param>
/// <param name="DailyLossUsd">Loss since UTC midnight (realised, plus unhedged positions marked to the bid) that trips the kill switch.</param>
/// <param name="MaxBookAge">Books not updated for this long are not traded on.</param>
public sealed record RiskLimits(
    Money MaxOrderUsd,
    Money MaxEventExposureUsd,
    Money MaxTotalExposureUsd,
    Money MaxUnhedgedUsd,
    Money DailyLossUsd,
    TimeSpan MaxBookAge)
{
    /// <summary>Smallest edge after fees a group must still show at the current books (slippage included) to be sent.</summary>
    public Money MinEdgeUsd { get; init; } = Money.FromCents(1);

    /// <summary>Attempts in a row that lost money before the kill switch trips.</summary>
    public int MaxConsecutiveLosses { get; init; } = 5;

    /// <summary>Longest an event may stay legged before the policy stops trying to hedge and unwinds.</summary>
    public TimeSpan MaxLeggedTime { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Most a hedge retry may lock in as a loss for one legged episode (beyond it, unwind instead).</summary>
    public Money MaxLeggedLossUsd { get; init; } = Money.FromCents(1_000);

    /// <summary>A book that started a new epoch (fresh snapshot) less than this long ago is not traded on.</summary>
    public TimeSpan MinEpochAge { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Orders per second per venue (a token bucket with this burst).</summary>
    public int VenueOrdersPerSecond { get; init; } = 20;

    /// <summary>Consecutive order errors on a venue that open its circuit breaker.</summary>
    public int BreakerErrors { get; init; } = 5;

    /// <summary>How long an open breaker halts new orders before it lets them through again.</summary>
    public TimeSpan BreakerCooldown { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The exposure budget this engine shares with other engines trading the same account (<c>risk.shared_budget</c>), or null.</summary>
    public SharedBudgetOptions? SharedBudget { get; init; }
}

/// <summary>
/// The <c>risk.shared_budget:</c> section: engines configured with the same <paramref name="Name"/> on
/// one Redis hold grants of one exposure budget between them (docs/redis.md, "Shared risk budget").
/// </summary>
/// <param name="Name">The budget's name: engines trading one account use the same.</param>
/// <param name="TotalUsd">Most gross exposure all the engines together may hold.</param>
/// <param name="EventUsd">Most gross exposure all the engines together may hold on one event.</param>
/// <param name="LocalShare">The fraction of both this engine trades within while it cannot reach Redis (0: nothing new).</param>
/// <param name="ChunkUsd">Headroom an engine asks for beyond what it holds when an event needs room.</param>
/// <param name="Lease">How long a grant outlives the engine's last renewal; an engine that cannot renew falls back to its local share before then.</param>
public sealed record SharedBudgetOptions(string Name, Money TotalUsd, Money EventUsd, Price LocalShare, Money ChunkUsd, TimeSpan Lease);

/// <summary>How orders are sent.</summary>
public enum ExecutionMode
{
    /// <summary>Every order fills in a simulator: the plugin's own, or the engine's paper executor over live books.</summary>
    Paper,

    /// <summary>Orders go to the venues' executors.</summary>
    Live,
}

/// <summary>The <c>execution:</c> section.</summary>
/// <param name="Mode">paper (the default) or live.</param>
/// <param name="StateDatabase">SQLite file with attempts, orders, fills, legged episodes and the kill switch (relative to the config).</param>
/// <param name="PaperLatency">Delay before the engine's paper executor handles an order or cancel.</param>
/// <param name="LeggedGrace">How long an unhedged imbalance may wait for the strategy's own hedge before the policy acts.</param>
/// <param name="HedgeRetries">Hedge attempts, each <paramref name="HedgeStep"/> worse than the last, before unwinding.</param>
/// <param name="HedgeStep">How much worse each retry pays.</param>
/// <param name="RetryInterval">Pause between policy steps.</param>
/// <param name="RestingTimeout">Resting (maker) orders are cancelled after this long.</param>
public sealed record ExecutionOptions(
    ExecutionMode Mode,
    string StateDatabase,
    TimeSpan PaperLatency,
    TimeSpan LeggedGrace,
    int HedgeRetries,
    Price HedgeStep,
    TimeSpan RetryInterval,
    TimeSpan RestingTimeout)
{
    /// <summary>
    /// Live mode: how often each venue's account (open orders, fills, positions, cash) is read and
    /// compared with the fill log, besides at start and after every reconnect; zero turns the
    /// periodic check off (<c>reconcile_interval: off</c>).
    /// </summary>
    public TimeSpan ReconcileInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Defaults used when the section is absent.</summary>
    public static ExecutionOptions Default { get; } = new(
        ExecutionMode.Paper, ".arbbot/arbbot.db", TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(300), 3, Price.Cent, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30));
}

/// <summary>The <c>alerts:</c> section.</summary>
/// <param name="WebhookUrlEnv">Environment variable holding a webhook URL to POST alerts to as JSON (a URL often carries a token, so it never sits in the YAML).</param>
/// <param name="WebhookPerMinute">Most webhook posts per minute; the rest are counted and summarised in the next post.</param>
/// <param name="MinLevel">Lowest level sent to the webhook: warning or error.</param>
public sealed record AlertOptions(string? WebhookUrlEnv, int WebhookPerMinute, string MinLevel)
{
    /// <summary>Defaults used when the section is absent.</summary>
    public static AlertOptions Default { get; } = new(null, 10, "warning");
}

/// <summary>The <c>metrics:</c> section: where the engine's meter is pushed besides <c>/metrics</c>.</summary>
/// <param name="OtlpEndpoint">An OTLP/HTTP collector's address (metrics go to its <c>/v1/metrics</c>); null: no push.</param>
/// <param name="OtlpInterval">How often the metrics are pushed.</param>
public sealed record MetricsOptions(Uri? OtlpEndpoint, TimeSpan OtlpInterval)
{
    /// <summary>Defaults used when the section is absent: no push, every 10 s when configured.</summary>
    public static MetricsOptions Default { get; } = new(null, TimeSpan.FromSeconds(10));
}

/// <summary>The <c>redis:</c> section. The password, if any, comes from the environment variable named by <paramref name="PasswordEnv"/>.</summary>
/// <param name="Enabled">Whether to mirror at all.</param>
/// <param name="Connection">StackExchange.Redis connection string (host:port, ssl=true, ... are passed through).</param>
/// <param name="Database">Database index.</param>
/// <param name="KeyPrefix">First part of every key.</param>
/// <param name="ExpirySeconds">Books of a venue that stops updating disappear after this long.</param>
/// <param name="PasswordEnv">Environment variable holding the password, if any.</param>
/// <param name="DepthLevels">Levels of depth mirrored per side; 0 mirrors top of book only.</param>
public sealed record RedisOptions(bool Enabled, string Connection, int Database, string KeyPrefix, int ExpirySeconds, string? PasswordEnv, int DepthLevels = 10);
