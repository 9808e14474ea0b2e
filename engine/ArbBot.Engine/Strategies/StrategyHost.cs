using System.Diagnostics;
using System.Reflection;
using ArbBot.Abstractions.Orders;
using ArbBot.Abstractions.Strategies;
using ArbBot.Engine.Books;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Execution.Alerts;
using ArbBot.Engine.Kernel;
using ArbBot.Engine.Orders;
using ArbBot.Engine.Strategies.Compilation;
using Microsoft.Extensions.Logging;

namespace ArbBot.Engine.Strategies;

/// <summary>
/// Runs the configured .csx strategies on the kernel thread after every book update of a
/// configured pair, and keeps them current: a changed file (or #load helper) is recompiled in
/// the background and the new version swapped in between two events; a file that does not
/// compile leaves the old version running and its errors logged as file:line:column.
/// A call that throws is caught and counted (each distinct error logged once, with the script's
/// line); too many errors in a window, or one call past its time budget, disables the strategy
/// until its file changes. Other strategies and the kernel carry on.
/// </summary>
public sealed class StrategyHost : IKernelListener, IDisposable
{
    private const int WarmUpCalls = 20;

    // Calls stopped at their budget within the error window before the strategy is disabled.
    private const int MaxOverruns = 3;
    private static readonly TimeSpan s_debounce = TimeSpan.FromMilliseconds(50);
    private readonly ArbBotConfig _config;
    private readonly EngineKernel _kernel;
    private readonly IStrategyCompiler _compiler;
    private readonly Pipeline.IntentQueue _intents;
    private readonly ILogger _logger;
    private StrategyRuntime[] _runtimes; // replaced whole on the kernel thread when arbbot.yaml's strategies change: readers elsewhere see one set
    private readonly SemaphoreSlim _applying = new(1, 1);
    private PairView[] _pairs; // these four are replaced together, on the kernel thread, when the pairs file changes
    private GroupView[] _outcomeGroups;
    private BookView?[] _books;
    private int[][] _pairsByBook;
    private readonly Inventory _inventory;
    private readonly StrategyCallContext _context;
    private readonly RiskLimitsView _limits;
    private readonly Dictionary<long, (StrategyRuntime Runtime, int Pair)> _groupOwners = new();
    private readonly Queue<(long GroupId, long EndedMs)> _endedGroups = new(); // forgotten a minute after they end (late fills still reach their strategy)
    private readonly List<FileSystemWatcher> _watchers = new();
    private readonly Dictionary<StrategyRuntime, Timer> _debouncers = new();
    private readonly EventClock _eventClock;
    private readonly Thread _watchdog;
    private readonly CancellationTokenSource _stop = new();
    private long _runningCall;
    private long _callBudget;
    private readonly Execution.GroupIds _groupIds;
    private readonly TimeProvider _clock;

    /// <summary>Creates the host for a config whose pairs' books are registered.</summary>
    public StrategyHost(
        ArbBotConfig config,
        EngineKernel kernel,
        IReadOnlyList<MarketPair> pairs,
        Inventory inventory,
        Pipeline.IntentQueue intents,
        IStrategyCompiler compiler,
        ILogger logger,
        TimeProvider clock,
        Execution.GroupIds? groupIds = null)
    {
        _config = config;
        _kernel = kernel;
        _compiler = compiler;
        _intents = intents;
        _logger = logger;
        _groupIds = groupIds ?? new Execution.GroupIds(clock);
        _clock = clock;
        RiskLimits r = config.Risk;
        _limits = new RiskLimitsView(r.MaxOrderUsd, r.MaxEventExposureUsd, r.MaxTotalExposureUsd, r.MaxUnhedgedUsd, (long)r.MaxBookAge.TotalMilliseconds);
        _eventClock = new EventClock(clock);
        _context = new StrategyCallContext(this, _limits, _eventClock);

        _inventory = inventory;
        (PairView[] views, BookView?[] books, int[][] pairsByBook) = ViewsOf(kernel.Books, pairs, new HashSet<int>(), inventory, [], _eventClock);
        _pairs = views;
        _books = books;
        _pairsByBook = pairsByBook;
        _outcomeGroups = GroupsOf(config.Groups, _pairs);
        _runtimes = config.Strategies.Where(s => s.Enabled).Select(s => new StrategyRuntime(s, Path.GetFullPath(s.File, config.BaseDirectory))).ToArray();

        _watchdog = new Thread(Watchdog) { IsBackground = true, Name = "arbbot-strategy-watchdog" };
    }

    /// <summary>
    /// The strategies' views of the pairs and their books; a retired pair (taken out of the pairs
    /// file) keeps its place, so every pair's index stays what strategies and orders know it by, but
    /// no book update reaches a strategy for it. Views of books already shown are kept.
    /// </summary>
    private static (PairView[] Pairs, BookView?[] Books, int[][] PairsByBook) ViewsOf(
        BookStore books, IReadOnlyList<MarketPair> pairs, IReadOnlySet<int> retired, Inventory inventory, BookView?[] known, EventClock clock)
    {
        var views = new BookView?[books.Count];
        var byBook = new List<int>[books.Count];
        var pairViews = new PairView[pairs.Count];
        for (int p = 0; p < pairs.Count; p++)
        {
            var legs = new IBookView[pairs[p].Legs.Count];
            for (int l = 0; l < legs.Length; l++)
            {
                int handle = pairs[p].Legs[l].Value;
                legs[l] = views[handle] ??= (handle < known.Length ? known[handle] : null) ?? new BookView(books[pairs[p].Legs[l]], inventory, clock);
                if (!retired.Contains(p))
                {
                    (byBook[handle] ??= new List<int>()).Add(p);
                }
            }

            pairViews[p] = new PairView(p, pairs[p].EventId, legs);
        }

        return (pairViews, views, byBook.Select(l => l?.ToArray() ?? []).ToArray());
    }

    /// <summary>
    /// The pairs file changed: strategies see the new pairs (appended, so every index they know
    /// stays) and no longer get book updates for retired ones. Each running strategy starts a new
    /// instance over them, its state carried over as on a reload. Returns one line per strategy.
    /// Kernel thread work is done in one turn; compiling (from the cache) is done before it.
    /// </summary>
    public async Task<IReadOnlyList<string>> UsePairsAsync(IReadOnlyList<MarketPair> pairs, IReadOnlySet<int> retired)
    {
        await _applying.WaitAsync(_stop.Token).ConfigureAwait(false);
        try
        {
            var compiled = new List<(StrategyRuntime Runtime, ScriptCompilation Compiled)>();
            foreach (StrategyRuntime runtime in _runtimes.Where(r => r.IsRunning))
            {
                compiled.Add((runtime, await Task.Run(() => _compiler.Compile(runtime.File)).ConfigureAwait(false)));
            }

            var lines = new List<string>();
            await _kernel.InvokeAsync(() =>
            {
                (_pairs, _books, _pairsByBook) = ViewsOf(_kernel.Books, pairs, retired, _inventory, _books, _eventClock);
                _outcomeGroups = GroupsOf(_config.Groups, _pairs);
                foreach ((StrategyRuntime runtime, ScriptCompilation script) in compiled)
                {
                    string? error = script.Success ? Swap(runtime, script) : $"strategy {runtime.Name}: {runtime.File} does not compile now";
                    lines.Add(error is null
                        ? $"strategy {runtime.Name} runs over {pairs.Count - retired.Count} pairs"
                        : $"{error}; its running instance was made for the pairs before the change");
                }

                return 0;
            }).ConfigureAwait(false);
            return lines;
        }
        finally
        {
            _applying.Release();
        }
    }

    /// <summary>
    /// The configured outcome groups over the pairs the engine runs; each outcome's pair learns its
    /// group. A group with an outcome the engine does not run (a pair left out) is left out whole:
    /// a basket missing an outcome is not a basket.
    /// </summary>
    private static GroupView[] GroupsOf(IReadOnlyList<GroupConfig> configured, PairView[] pairs)
    {
        var byEvent = pairs.ToDictionary(p => p.EventId, StringComparer.Ordinal);
        var groups = new List<GroupView>();
        foreach (GroupConfig group in configured)
        {
            PairView[] outcomes = group.Outcomes.Select(o => byEvent.GetValueOrDefault(o)).OfType<PairView>().ToArray();
            if (outcomes.Length != group.Outcomes.Count)
            {
                continue;
            }

            var view = new GroupView(groups.Count, group.EventId, group.Exhaustive, outcomes);
            foreach (PairView outcome in outcomes)
            {
                outcome.Group = view;
            }

            groups.Add(view);
        }

        return [.. groups];
    }

    /// <summary>Groups whose fills and fate are still routed to the strategy that emitted them.</summary>
    internal int TrackedGroups => _groupOwners.Count;

    // Whether the strategy being called was called for a fill of its own: what it emits then is a hedge, and reduces risk.
    private bool _inFillCallback;

    /// <summary>The configured (enabled) strategies.</summary>
    public IReadOnlyList<StrategyRuntime> Strategies => Volatile.Read(ref _runtimes);

    /// <summary>Raised on the kernel thread after a new version took over.</summary>
    public event Action<StrategyRuntime>? Reloaded;

    /// <summary>Raised (on a pool thread) when a changed file failed to compile; the old version keeps running.</summary>
    public event Action<StrategyRuntime, IReadOnlyList<ScriptDiagnostic>>? CompileFailed;

    /// <summary>
    /// Compiles and starts every strategy before the kernel runs. Returns one line per problem;
    /// a strategy with problems stays off until its file is fixed (when watched).
    /// </summary>
    public IReadOnlyList<string> LoadAll()
    {
        var problems = new List<string>();
        foreach (StrategyRuntime runtime in _runtimes)
        {
            ScriptCompilation compiled = _compiler.Compile(runtime.File);
            if (!compiled.Success)
            {
                Fail(runtime, compiled.Errors, problems);
                continue;
            }

            string? error = Swap(runtime, compiled);
            if (error is not null)
            {
                problems.Add(error);
            }
        }

        _watchdog.Start();
        return problems;
    }

    /// <summary>
    /// Watches every strategy file and its helpers; a change recompiles and swaps in the new version.
    /// The first time, the compiler is warmed up in the background, so the first edit or added
    /// strategy goes live quickly.
    /// </summary>
    public void Watch()
    {
        if (Interlocked.Exchange(ref _warmUpStarted, 1) == 0)
        {
            _ = Task.Run(WarmUpCompiler);
        }

        foreach (FileSystemWatcher old in _watchers)
        {
            old.Dispose();
        }

        _watchers.Clear();
        foreach (string directory in Strategies.SelectMany(r => r.Closure.Append(r.File)).Select(f => Path.GetDirectoryName(f)!).Distinct(StringComparer.Ordinal))
        {
            if (!Directory.Exists(directory))
            {
                continue;
            }

            var watcher = new FileSystemWatcher(directory, "*.csx")
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.FileName | NotifyFilters.CreationTime,
            };
            watcher.Changed += (_, e) => OnFileChanged(e.FullPath);
            watcher.Created += (_, e) => OnFileChanged(e.FullPath);
            watcher.Renamed += (_, e) => OnFileChanged(e.FullPath);
            watcher.EnableRaisingEvents = true;
            _watchers.Add(watcher);
        }
    }

    private int _warmUpStarted;

    private void WarmUpCompiler()
    {
        try
        {
            long start = Stopwatch.GetTimestamp();
            _compiler.WarmUp();
            _logger.LogDebug("strategy compiler warmed up in {Ms:0} ms", Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _logger.LogDebug("strategy compiler warm-up skipped: {Message}", ex.Message); // the first compile is slower, nothing else changes
        }
    }

    /// <summary>Recompiles one strategy now and swaps it in on the kernel thread; true if the new version is live.</summary>
    public async Task<bool> ReloadAsync(StrategyRuntime runtime)
    {
        long savedAt = Interlocked.Exchange(ref runtime.LastSaveTimestamp, 0); // before reading the file: this save is the one compiled
        ScriptCompilation compiled = await Task.Run(() => _compiler.Compile(runtime.File)).ConfigureAwait(false);
        if (!compiled.Success)
        {
            await _kernel.InvokeAsync(() =>
            {
                runtime.CompileErrors = compiled.Errors;
                return 0;
            }).ConfigureAwait(false);
            foreach (ScriptDiagnostic diagnostic in compiled.Errors)
            {
                _logger.LogError("{Diagnostic}", diagnostic.ToString());
            }

            _logger.LogWarning("strategy {Name}: the edited file does not compile; {State}", runtime.Name,
                runtime.Version is null ? "it stays off until it does" : $"version {runtime.Version} keeps running");
            CompileFailed?.Invoke(runtime, compiled.Errors);
            return false;
        }

        string? error = await _kernel.InvokeAsync(() => Swap(runtime, compiled, savedAt: savedAt)).ConfigureAwait(false);
        if (error is not null)
        {
            _logger.LogError("{Error}", error);
        }

        return error is null;
    }

    /// <summary>
    /// Makes the running set what an edited <c>arbbot.yaml</c> configures, without a restart:
    /// strategies added (or enabled) are compiled and started, removed (or disabled) ones stopped
    /// and unloaded, and ones whose settings changed start a new instance with them (state carried
    /// over as on a reload; if it cannot start, the old one keeps running). The rest are not touched.
    /// Returns one line per change made or refused.
    /// </summary>
    /// <param name="configured">The strategies as the config now lists them.</param>
    /// <param name="savedAt">Stopwatch time of the config's save (0: unknown): the new versions' logs say how long after it they went live.</param>
    public async Task<IReadOnlyList<string>> ApplyStrategiesAsync(IReadOnlyList<StrategyConfig> configured, long savedAt = 0)
    {
        await _applying.WaitAsync(_stop.Token).ConfigureAwait(false);
        try
        {
            var changes = new List<string>();
            var wanted = configured.Where(c => c.Enabled).ToList();
            StrategyRuntime[] running = _runtimes;
            var next = new List<StrategyRuntime>();
            var started = new List<(StrategyRuntime Runtime, ScriptCompilation Compiled)>();
            var reparameterised = new List<(StrategyRuntime Runtime, ScriptCompilation Compiled, StrategyConfig Config)>();
            foreach (StrategyConfig config in wanted)
            {
                string file = Path.GetFullPath(config.File, _config.BaseDirectory);
                StrategyRuntime? current = running.FirstOrDefault(r => r.Name == config.Name && r.File == file);
                if (current is not null && current.Config.SameSettings(config))
                {
                    next.Add(current);
                    continue;
                }

                ScriptCompilation compiled = await Task.Run(() => _compiler.Compile(file)).ConfigureAwait(false);
                if (current is not null)
                {
                    next.Add(current);
                    if (compiled.Success)
                    {
                        reparameterised.Add((current, compiled, config));
                    }
                    else
                    {
                        changes.Add($"strategy {config.Name}: its new settings are not taken: {file} does not compile ({compiled.Errors.Count} errors); the running version keeps its settings");
                    }

                    continue;
                }

                var runtime = new StrategyRuntime(config, file);
                next.Add(runtime);
                if (compiled.Success)
                {
                    started.Add((runtime, compiled));
                }
                else
                {
                    var problems = new List<string>();
                    Fail(runtime, compiled.Errors, problems);
                    changes.Add($"strategy {config.Name} added from {_config.SourcePath}:{config.Line}, but {file} does not compile: it starts once it does");
                }
            }

            List<StrategyRuntime> removed = running.Where(r => !next.Contains(r)).ToList();
            await _kernel.InvokeAsync(() =>
            {
                foreach ((StrategyRuntime runtime, ScriptCompilation compiled) in started)
                {
                    string? error = Swap(runtime, compiled, savedAt: savedAt);
                    changes.Add(error ?? $"strategy {runtime.Name} added from {_config.SourcePath}:{runtime.Config.Line}");
                }

                foreach ((StrategyRuntime runtime, ScriptCompilation compiled, StrategyConfig config) in reparameterised)
                {
                    string? error = Swap(runtime, compiled, config, savedAt);
                    changes.Add(error ?? $"strategy {runtime.Name} runs with its new settings from {_config.SourcePath}:{config.Line}");
                }

                foreach (StrategyRuntime runtime in removed)
                {
                    Stop(runtime, "removed from (or disabled in) the config");
                    changes.Add($"strategy {runtime.Name} stopped: no longer in {_config.SourcePath} (or enabled: false)");
                }

                Volatile.Write(ref _runtimes, next.ToArray());
                return 0;
            }).ConfigureAwait(false);
            if (_watchers.Count > 0)
            {
                Watch(); // files of added strategies are watched too
            }

            return changes;
        }
        finally
        {
            _applying.Release();
        }
    }

    /// <summary>Kernel thread: a strategy stops taking calls and its code is unloaded, with whatever its static fields held (its groups still end in the log as usual).</summary>
    private static void Stop(StrategyRuntime runtime, string why)
    {
        runtime.DisabledReason = why;
        if (runtime.Context is { } context)
        {
            runtime.Instance = null;
            runtime.FillHandler = null;
            runtime.IntentHandler = null;
            runtime.Context = null;
            context.Unload();
            runtime.LastReplacedContext = new WeakReference(context);
        }
    }

    /// <inheritdoc/>
    public void OnBookUpdated(MarketBook book)
    {
        int handle = book.Handle.Value;
        StrategyRuntime[] runtimes = _runtimes;
        if (handle >= _pairsByBook.Length || runtimes.Length == 0)
        {
            return;
        }

        int[] pairs = _pairsByBook[handle];
        if (pairs.Length == 0)
        {
            return;
        }

        _context.Changed = _books[handle]!;
        _eventClock.Set(book.LastUpdateTimestamp); // the kernel's receipt time of this event: no clock read per call
        long allocated = GC.GetAllocatedBytesForCurrentThread(); // each call's end is the next one's start: one read per call
        for (int p = 0; p < pairs.Length; p++)
        {
            _context.Pair = _pairs[pairs[p]];
            for (int s = 0; s < runtimes.Length; s++)
            {
                StrategyRuntime runtime = runtimes[s];
                if (runtime.IsRunning)
                {
                    Call(runtime, null, null, ref allocated);
                }
            }
        }
    }

    /// <inheritdoc/>
    public void OnFill(int venueIndex, Fill fill)
    {
        if (!Execution.ClientOrderIds.TryParse(fill.ClientOrderId, out long groupId, out int leg)
            || !_groupOwners.TryGetValue(groupId, out var owner)
            || !owner.Runtime.IsRunning || owner.Runtime.FillHandler is null)
        {
            return;
        }

        _context.Pair = _pairs[owner.Pair];
        _context.Changed = _books[fill.Market.Value] ?? _pairs[owner.Pair].Leg(0);
        _eventClock.Set(_kernel.Clock.GetTimestamp());
        var strategyFill = new StrategyFill(groupId, leg, fill.Market, fill.Outcome, fill.Side, fill.Price, fill.Quantity, fill.Fee, fill.IsMaker);
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        Call(owner.Runtime, strategyFill, null, ref allocated);
    }

    /// <summary>Tells the strategy that emitted a group what became of it (kernel thread).</summary>
    public void OnIntentUpdate(IntentGroupUpdate update)
    {
        long nowMs = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        ForgetEndedGroups(nowMs);
        if (!_groupOwners.TryGetValue(update.GroupId, out var owner))
        {
            return;
        }

        if (update.State == IntentGroupState.Refused)
        {
            _groupOwners.Remove(update.GroupId); // nothing was sent: nothing of it can fill
        }
        else if (update.State == IntentGroupState.Ended)
        {
            _endedGroups.Enqueue((update.GroupId, nowMs));
        }

        if (!owner.Runtime.IsRunning || owner.Runtime.IntentHandler is null)
        {
            return;
        }

        _context.Pair = _pairs[owner.Pair];
        _context.Changed = _pairs[owner.Pair].Leg(0);
        _eventClock.Set(_kernel.Clock.GetTimestamp());
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        Call(owner.Runtime, null, update, ref allocated);
    }

    private void ForgetEndedGroups(long nowMs)
    {
        while (_endedGroups.Count > 0 && _endedGroups.Peek().EndedMs < nowMs - 60_000)
        {
            _groupOwners.Remove(_endedGroups.Dequeue().GroupId);
        }
    }

    /// <inheritdoc/>
    public void OnOrderUpdate(int venueIndex, OrderUpdate update)
    {
    }

    /// <inheritdoc/>
    public void OnTimer(long nowTimestamp)
    {
    }

    /// <summary>Stops the watchers and the watchdog.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        foreach (FileSystemWatcher watcher in _watchers)
        {
            watcher.Dispose();
        }

        lock (_debouncers)
        {
            foreach (Timer timer in _debouncers.Values)
            {
                timer.Dispose();
            }
        }
    }

    /// <summary>Where strategies' alerts go (the engine's alert sink); null: the log only.</summary>
    public AlertSink? Alerts { get; set; }

    /// <summary>Most characters of a strategy's alert message kept.</summary>
    internal const int MaxAlertLength = 500;

    internal void Alert(StrategyRuntime runtime, IPairView pair, StrategyAlertLevel level, string? message, long nowMs)
    {
        if (!runtime.TryTakeAlert(nowMs, out long suppressed))
        {
            return;
        }

        string text = Sanitize(message);
        string full = suppressed == 0
            ? $"{runtime.Name}: {text}"
            : $"{runtime.Name}: {text} ({suppressed} more held back by alerts_per_minute {runtime.Config.AlertsPerMinute})";
        string levelName = level switch { StrategyAlertLevel.Error => "error", StrategyAlertLevel.Warning => "warning", _ => "info" };
        if (Alerts is { } sink)
        {
            sink.Raise(levelName, "strategy", pair.EventId, full, nowMs);
        }
        else
        {
            _logger.LogWarning("alert strategy {Event} ({Level}): {Message}", pair.EventId, levelName, full);
        }
    }

    /// <summary>A script's text as one line: at most <see cref="MaxAlertLength"/> characters, no control characters (a log or terminal cannot be forged through it).</summary>
    private static string Sanitize(string? message)
    {
        if (string.IsNullOrEmpty(message))
        {
            return "(no message)";
        }

        int keep = Math.Min(message.Length, MaxAlertLength);
        if (keep < message.Length && char.IsHighSurrogate(message[keep - 1]))
        {
            keep--; // never half a character
        }

        var text = new System.Text.StringBuilder(keep + 1);
        foreach (char c in message.AsSpan(0, keep))
        {
            text.Append(char.IsControl(c) ? ' ' : c);
        }

        return keep < message.Length ? text.Append('…').ToString() : text.ToString();
    }

    internal long Emit(StrategyRuntime runtime, PairView pair, IntentGroup group, long nowMs)
    {
        group.Stamp(_groupIds.Next(), runtime.Name, EventIdOf(pair, group), nowMs, reducesRisk: _inFillCallback);
        if ((runtime.FillHandler is not null || runtime.IntentHandler is not null) && group.Action == IntentAction.Place)
        {
            _groupOwners[group.Id] = (runtime, pair.Index);
        }

        _intents.Add(group);
        return group.Id;
    }

    /// <summary>The pair's event, or its outcome group's when the legs reach past the pair (a basket).</summary>
    private static string EventIdOf(PairView pair, IntentGroup group)
    {
        if (pair.Group is { } outcomes)
        {
            foreach (OrderIntent leg in group.Legs)
            {
                if (!pair.Lists(leg.Market))
                {
                    return outcomes.EventId;
                }
            }
        }

        return pair.EventId;
    }

    /// <summary>One call of a strategy, under its time and allocation budgets; a failure is counted and never reaches the kernel.</summary>
    /// <param name="runtime">The strategy to call.</param>
    /// <param name="fill">A fill of its orders to tell it of, or null.</param>
    /// <param name="update">What became of a group it emitted, or null; a book update when both are null.</param>
    /// <param name="allocated">The thread's allocated bytes read just before the call; on return, just after it.</param>
    private void Call(StrategyRuntime runtime, StrategyFill? fill, IntentGroupUpdate? update, ref long allocated)
    {
        _context.Runtime = runtime;
        // A new version's first calls also JIT-compile its code, which on a busy machine can take
        // longer than the budget: they get a second; after that the configured budget applies.
        // Replay (inline kernel) always allows a second: a runaway is still stopped, but how busy
        // the machine is never changes a replay's decisions.
        bool generous = runtime.CallsThisVersion++ < WarmUpCalls || _kernel.IsInline;
        Volatile.Write(ref _callBudget, generous ? Math.Max(runtime.BudgetTicks, Stopwatch.Frequency) : runtime.BudgetTicks);
        Volatile.Write(ref _runningCall, ScriptBudget.Begin());
        long allocatedBefore = allocated;
        try
        {
            if (fill is { } f)
            {
                _inFillCallback = true;
                runtime.FillHandler!.OnFill(f, _context);
            }
            else if (update is { } u)
            {
                runtime.IntentHandler!.OnIntentUpdate(u, _context);
            }
            else
            {
                runtime.BookUpdate!(_context);
            }

            runtime.Calls++;
            allocated = GC.GetAllocatedBytesForCurrentThread();
            if (!WithinAllocationBudget(runtime, allocated - allocatedBefore, generous))
            {
                allocated = GC.GetAllocatedBytesForCurrentThread(); // what stopping it allocated is not the next call's
            }
        }
        catch (Exception ex)
        {
            End();
            runtime.Calls++;
            OnCallFailed(runtime, ex);
            allocated = GC.GetAllocatedBytesForCurrentThread(); // what handling the failure allocated is not the next call's
        }
        finally
        {
            End();
        }
    }

    private void End()
    {
        _inFillCallback = false;
        Volatile.Write(ref _runningCall, 0);
        ScriptBudget.End();
    }

    /// <summary>
    /// A call that allocated past its budget (<c>allocation_budget_mb</c>; four times that while its
    /// code is new and JIT-compiling) disables the strategy and unloads its code: a static collection
    /// that grows on every call is dropped with it, instead of staying after the strategy stops.
    /// </summary>
    /// <returns>False when it was over and the strategy was stopped.</returns>
    private bool WithinAllocationBudget(StrategyRuntime runtime, long allocated, bool warmingUp)
    {
        long budget = warmingUp ? runtime.Config.AllocationBudgetBytes * 4 : runtime.Config.AllocationBudgetBytes;
        if (allocated <= budget)
        {
            return true;
        }

        runtime.Errors++;
        Stop(runtime, $"one call allocated {allocated / 1_048_576.0:0.0} MB (allocation_budget_mb {runtime.Config.AllocationBudgetBytes >> 20}); disabled until the file changes, its code and static state unloaded");
        _logger.LogError("strategy {Name}: {Reason}", runtime.Name, runtime.DisabledReason);
        return false;
    }

    private void OnCallFailed(StrategyRuntime runtime, Exception ex)
    {
        string where = ScriptLocation(runtime, ex);
        if (ex is StrategyTimeoutException)
        {
            if (!runtime.RecordOverrunAndCheckLimit(_kernel.Clock.GetTimestamp(), MaxOverruns))
            {
                _logger.LogWarning("strategy {Name}: a call ran past its {Budget} ms budget and was stopped at {Where}; {Limit} such calls within {Window} s disable it",
                    runtime.Name, runtime.Config.TimeBudget.TotalMilliseconds, where, MaxOverruns, runtime.Config.ErrorWindow.TotalSeconds);
                return;
            }

            runtime.DisabledReason = $"{MaxOverruns} calls ran past its {runtime.Config.TimeBudget.TotalMilliseconds:0} ms budget within {runtime.Config.ErrorWindow.TotalSeconds:0} s (the last stopped at {where}); disabled until the file changes";
            _logger.LogError("strategy {Name}: {Reason}", runtime.Name, runtime.DisabledReason);
            return;
        }

        bool overLimit = runtime.RecordErrorAndCheckLimit(_kernel.Clock.GetTimestamp());
        if (runtime.LoggedErrors.Add($"{ex.GetType().FullName}|{ex.Message}|{where}"))
        {
            _logger.LogError("strategy {Name} threw {Type} at {Where}: {Message} (the event goes on to the other strategies; repeats of this error are counted, not logged)",
                runtime.Name, ex.GetType().Name, where, ex.Message);
        }

        if (overLimit)
        {
            runtime.DisabledReason = $"{runtime.Config.MaxErrors} errors within {runtime.Config.ErrorWindow.TotalSeconds:0} s (last at {where}: {ex.Message}); disabled until the file changes";
            _logger.LogError("strategy {Name}: {Reason}", runtime.Name, runtime.DisabledReason);
        }
    }

    private static string ScriptLocation(StrategyRuntime runtime, Exception ex)
    {
        foreach (StackFrame frame in new StackTrace(ex, fNeedFileInfo: true).GetFrames())
        {
            string? file = frame.GetFileName();
            if (file is not null && runtime.Closure.Contains(file))
            {
                return $"{file}:{frame.GetFileLineNumber()}";
            }
        }

        return runtime.File;
    }

    /// <summary>Loads a compiled version and makes it the live one. Kernel thread (or before the kernel starts). Returns an error line or null.</summary>
    private string? Swap(StrategyRuntime runtime, ScriptCompilation compiled, StrategyConfig? settings = null, long savedAt = 0)
    {
        StrategyConfig config = settings ?? runtime.Config;
        var context = new StrategyLoadContext($"{runtime.Name}-{compiled.Source.Version}");
        IStrategy instance;
        try
        {
            Assembly assembly = context.Load(compiled.Assembly!, compiled.Symbols);
            Type type = assembly.GetTypes().Single(t => typeof(IStrategy).IsAssignableFrom(t) && !t.IsAbstract);
            instance = (IStrategy)Activator.CreateInstance(type, nonPublic: true)!;
            var parameters = new StrategyParameters(config.Parameters);
            instance.Initialize(new StrategySetup(runtime.Name, parameters, _pairs, _outcomeGroups, _limits));
            foreach (string unread in parameters.Unread)
            {
                _logger.LogWarning("{File}:{Line}: strategies.{Name}.parameters.{Key} is not used by {Script}",
                    _config.SourcePath, config.ParameterLines[unread], runtime.Name, unread, Path.GetFileName(runtime.File));
            }

            if (runtime.Instance is IStrategyState oldState && instance is IStrategyState newState && oldState.ExportState() is { } state)
            {
                newState.ImportState(state);
            }
        }
        catch (Exception ex)
        {
            context.Unload();
            Exception cause = ex is TargetInvocationException { InnerException: { } inner } ? inner : ex;
            string message = cause is StrategyParameterException p
                ? $"{_config.SourcePath}:{(config.ParameterLines.TryGetValue(p.Key, out long line) ? line : config.Line)}: strategies.{runtime.Name}.parameters.{p.Key} {p.Message}"
                : $"strategy {runtime.Name}: version {compiled.Source.Version} failed to start: {cause.GetType().Name}: {cause.Message}";
            if (runtime.Instance is null)
            {
                runtime.DisabledReason = message;
            }

            return message + (runtime.Instance is null ? "" : $" (version {runtime.Version} keeps running)");
        }

        StrategyLoadContext? old = runtime.Context;
        string? oldVersion = runtime.Version;
        bool reparameterised = !ReferenceEquals(config, runtime.Config);
        runtime.Config = config;
        runtime.Instance = instance;
        runtime.CallsThisVersion = 0;
        runtime.FillHandler = instance as IStrategyFills;
        runtime.IntentHandler = instance as IStrategyIntents;
        runtime.Context = context;
        runtime.Version = compiled.Source.Version;
        runtime.Closure = compiled.Source.Files.Select(f => f.Path).ToArray();
        runtime.CompileErrors = [];
        runtime.DisabledReason = null;
        runtime.ResetErrorWindow();
        if (old is not null)
        {
            old.Unload();
            runtime.LastReplacedContext = new WeakReference(old);
            runtime.Reloads++;
        }

        string latency = "";
        if (savedAt != 0)
        {
            runtime.LastSaveToLiveMs = Stopwatch.GetElapsedTime(savedAt).TotalMilliseconds;
            latency = $", live {runtime.LastSaveToLiveMs:0} ms after the save";
        }

        _logger.LogInformation("strategy {Name} {Action} version {Version} from {File} ({How}{Latency})",
            runtime.Name, oldVersion is null ? "started" : reparameterised ? "re-parameterised:" : "reloaded:", runtime.Version, runtime.File,
            compiled.FromCache ? "compile cache" : $"compiled in {compiled.Elapsed.TotalMilliseconds:0} ms", latency);
        if (oldVersion is not null)
        {
            Reloaded?.Invoke(runtime);
        }

        return null;
    }

    private void Fail(StrategyRuntime runtime, IReadOnlyList<ScriptDiagnostic> errors, List<string> problems)
    {
        runtime.CompileErrors = errors;
        runtime.DisabledReason = $"does not compile ({errors.Count} error{(errors.Count == 1 ? "" : "s")})";
        foreach (ScriptDiagnostic error in errors)
        {
            _logger.LogError("{Diagnostic}", error.ToString());
            problems.Add(error.ToString());
        }
    }

    private void OnFileChanged(string path)
    {
        string full = Path.GetFullPath(path);
        foreach (StrategyRuntime runtime in Strategies)
        {
            if (runtime.File != full && !runtime.Closure.Contains(full))
            {
                continue;
            }

            lock (_debouncers)
            {
                if (_stop.IsCancellationRequested)
                {
                    return;
                }

                Volatile.Write(ref runtime.LastSaveTimestamp, Stopwatch.GetTimestamp()); // the last write is the save the compile will read

                if (!_debouncers.TryGetValue(runtime, out Timer? timer))
                {
                    timer = new Timer(_ => _ = ReloadAndRewatchAsync(runtime), null, Timeout.Infinite, Timeout.Infinite);
                    _debouncers[runtime] = timer;
                }

                // An editor saves in several writes: wait until the file has been quiet briefly.
                timer.Change(s_debounce, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private async Task ReloadAndRewatchAsync(StrategyRuntime runtime)
    {
        try
        {
            IReadOnlyList<string> before = runtime.Closure;
            if (await ReloadAsync(runtime).ConfigureAwait(false) && !before.SequenceEqual(runtime.Closure))
            {
                Watch(); // a new #load may live in a folder not watched yet
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException)
        {
            // The engine is stopping; nothing to reload into.
        }
    }

    private void Watchdog()
    {
        // Samples the running call id: the same id seen for longer than its budget is a runaway.
        // No timestamp is taken on the kernel's side, so a call costs nothing extra for this.
        long seenId = 0;
        long seenSince = 0;
        long firstSeen = 0;
        long lastLoop = Stopwatch.GetTimestamp();
        long stall = Stopwatch.Frequency / 50; // 20 ms
        while (!_stop.IsCancellationRequested)
        {
            Thread.Sleep(5);
            long id = Volatile.Read(ref _runningCall);
            long now = Stopwatch.GetTimestamp();
            bool overslept = now - lastLoop > stall;
            lastLoop = now;
            if (id != seenId)
            {
                seenId = id;
                seenSince = firstSeen = now;
                continue;
            }

            if (overslept)
            {
                // This thread itself was held up (a GC pause, a stalled machine): the time that passed
                // says little about the strategy, so its call is counted from now; but never past ten
                // budgets in all, so a runaway on a machine that keeps stalling is still stopped.
                seenSince = now;
            }

            long budget = Volatile.Read(ref _callBudget);
            if (id != 0 && (now - seenSince > budget || now - firstSeen > 10 * budget))
            {
                ScriptBudget.Exceed(id);
            }
        }
    }
}
