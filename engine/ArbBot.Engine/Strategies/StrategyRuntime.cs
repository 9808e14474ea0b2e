using System.Diagnostics;
using ArbBot.Abstractions.Strategies;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Kernel;
using ArbBot.Engine.Strategies.Compilation;

namespace ArbBot.Engine.Strategies;

/// <summary>
/// One configured strategy across its versions: the live instance (if any), what it has done,
/// and why it is not running when it is not. Mutated on the kernel thread; read for display.
/// </summary>
public sealed class StrategyRuntime
{
    private readonly Queue<long> _recentErrors = new();

    internal StrategyRuntime(StrategyConfig config, string file)
    {
        Config = config;
        File = file;
        Closure = [file];
    }

    /// <summary>Its config entry (a new one once an edit of <c>arbbot.yaml</c> re-parameterised it).</summary>
    public StrategyConfig Config
    {
        get;
        internal set
        {
            field = value;
            BudgetTicks = StopwatchTicks.Of(value.TimeBudget);
        }
    }

    /// <summary>Name.</summary>
    public string Name => Config.Name;

    /// <summary>Full path of the .csx file.</summary>
    public string File { get; }

    /// <summary>The file and its #load helpers, as of the last successful compile.</summary>
    public IReadOnlyList<string> Closure { get; internal set; }

    /// <summary>Short source hash of the live version, or null if none compiled yet.</summary>
    public string? Version { get; internal set; }

    /// <summary>Why it is not running (compile errors, too many errors, over budget), or null.</summary>
    public string? DisabledReason { get; internal set; }

    /// <summary>Errors of the last failed compile (empty after a good one).</summary>
    public IReadOnlyList<ScriptDiagnostic> CompileErrors { get; internal set; } = [];

    /// <summary>Calls made to the live versions.</summary>
    public long Calls { get; internal set; }

    /// <summary>Exceptions thrown by calls (timeouts included).</summary>
    public long Errors { get; internal set; }

    /// <summary>Successful reloads since start.</summary>
    public int Reloads { get; internal set; }

    /// <summary>Milliseconds from the file change being seen to the new version taking calls, for the last reload.</summary>
    public double LastSaveToLiveMs { get; internal set; }

    /// <summary>The load context of the version replaced last, for checking that it unloads.</summary>
    public WeakReference? LastReplacedContext { get; internal set; }

    internal IStrategy? Instance
    {
        get;
        set
        {
            field = value;
            BookUpdate = value is null ? null : value.OnBookUpdate;
        }
    }

    /// <summary>The live instance's <see cref="IStrategy.OnBookUpdate"/> as a delegate: one indirect call per update instead of an interface dispatch across strategy types.</summary>
    internal Action<IStrategyContext>? BookUpdate { get; private set; }

    internal IStrategyFills? FillHandler { get; set; }

    internal IStrategyIntents? IntentHandler { get; set; }

    internal StrategyLoadContext? Context { get; set; }

    internal long BudgetTicks { get; private set; }

    /// <summary>Alerts it raised (<see cref="IStrategyContext.Alert"/>).</summary>
    public long AlertsRaised { get; private set; }

    /// <summary>Alerts over its <c>alerts_per_minute</c>: counted, not raised.</summary>
    public long AlertsSuppressed { get; private set; }

    private readonly Queue<long> _alertTimes = new(); // engine ms of the alerts raised within the last minute
    private long _suppressedSinceRaised;

    /// <summary>
    /// Whether an alert may go out now (engine time, so a replay decides alike); when it may,
    /// <paramref name="suppressedBefore"/> is how many were held back since the last one that went out.
    /// </summary>
    internal bool TryTakeAlert(long nowMs, out long suppressedBefore)
    {
        while (_alertTimes.Count > 0 && nowMs - _alertTimes.Peek() >= 60_000)
        {
            _alertTimes.Dequeue();
        }

        if (_alertTimes.Count >= Config.AlertsPerMinute)
        {
            AlertsSuppressed++;
            _suppressedSinceRaised++;
            suppressedBefore = 0;
            return false;
        }

        _alertTimes.Enqueue(nowMs);
        AlertsRaised++;
        suppressedBefore = _suppressedSinceRaised;
        _suppressedSinceRaised = 0;
        return true;
    }

    /// <summary>Calls made by the version now running (its first ones include JIT compilation).</summary>
    internal int CallsThisVersion { get; set; }

    internal HashSet<string> LoggedErrors { get; } = new(StringComparer.Ordinal);

    /// <summary>Stopwatch time of the last write to its files seen (0 once a compile took it): the save a new version comes from.</summary>
    internal long LastSaveTimestamp;

    internal bool IsRunning => Instance is not null && DisabledReason is null;

    /// <summary>Records an error; true when the errors within the window reach the limit.</summary>
    internal bool RecordErrorAndCheckLimit(long nowTimestamp)
    {
        Errors++;
        _recentErrors.Enqueue(nowTimestamp);
        long window = (long)(Config.ErrorWindow.TotalSeconds * Stopwatch.Frequency);
        while (_recentErrors.Count > 0 && nowTimestamp - _recentErrors.Peek() > window)
        {
            _recentErrors.Dequeue();
        }

        return _recentErrors.Count >= Config.MaxErrors;
    }

    /// <summary>
    /// Records a call stopped at its budget; true once <paramref name="limit"/> such calls fell within
    /// the error window. One slow call on a busy machine (a cold code path compiled by the JIT
    /// while other processes hold the cores) is stopped but forgiven; a strategy that keeps running
    /// past its budget is disabled.
    /// </summary>
    internal bool RecordOverrunAndCheckLimit(long nowTimestamp, int limit)
    {
        Errors++;
        _recentOverruns.Enqueue(nowTimestamp);
        long window = (long)(Config.ErrorWindow.TotalSeconds * Stopwatch.Frequency);
        while (_recentOverruns.Count > 0 && nowTimestamp - _recentOverruns.Peek() > window)
        {
            _recentOverruns.Dequeue();
        }

        return _recentOverruns.Count >= limit;
    }

    private readonly Queue<long> _recentOverruns = new();

    internal void ResetErrorWindow()
    {
        _recentOverruns.Clear();
        _recentErrors.Clear();
        LoggedErrors.Clear();
    }
}
