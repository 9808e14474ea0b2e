using System.Diagnostics;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Plugins;
using ArbBot.Engine.Books;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Control;
using ArbBot.Engine.Execution;
using ArbBot.Engine.Execution.Alerts;
using ArbBot.Engine.Execution.Journal;
using ArbBot.Engine.Execution.Paper;
using ArbBot.Engine.Execution.Reconciliation;
using ArbBot.Engine.Hosting.Status;
using ArbBot.Engine.Kernel;
using ArbBot.Engine.Mirror;
using ArbBot.Engine.Orders;
using ArbBot.Engine.Pipeline;
using ArbBot.Engine.Plugins;
using ArbBot.Engine.Risk;
using ArbBot.Engine.Risk.Budget;
using ArbBot.Engine.Risk.Ownership;
using ArbBot.Engine.Scripting;
using ArbBot.Engine.Storage;
using ArbBot.Engine.Strategies;
using ArbBot.Engine.Strategies.Compilation;
using Microsoft.Extensions.Logging;

namespace ArbBot.Engine.Hosting;

/// <summary>
/// Puts a configured engine together and runs it: loads each venue's plugin, registers the
/// paired markets' books, starts the kernel, then connects and subscribes every venue. A venue
/// whose plugin fails to load or start is reported and skipped; the others run.
/// </summary>
public sealed partial class EngineHost : IAsyncDisposable
{
    private readonly ArbBotConfig _config;
    private readonly PluginLoader _loader;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly Dictionary<string, LoadedPlugin> _pluginsByPath = new(StringComparer.Ordinal);
    private readonly List<VenueRuntime> _venues = new();
    private readonly List<MarketPair> _pairs = new();
    private readonly List<FileSystemWatcher> _watchers = new();
    private readonly SemaphoreSlim _reloadGate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly EngineHostOptions _options;
    private IStrategyCompiler? _compiler;
    private readonly TimeProvider _clock;
    private readonly long _startedAt;
    private readonly List<PaperExecutor> _paperExecutors = new();
    private readonly List<IKernelListener> _observers = new();
    private PairWatch? _pairWatch;
    private volatile EngineSummary? _lastSummary;
    private long _lastSummaryAt;

    /// <summary>Creates an engine for a config, to run live.</summary>
    public EngineHost(ArbBotConfig config, PluginLoader loader, ILoggerFactory loggerFactory)
        : this(config, loader, loggerFactory, EngineHostOptions.Live)
    {
    }

    /// <summary>Creates an engine for a config, to run live, record, or replay as <paramref name="options"/> say.</summary>
    public EngineHost(ArbBotConfig config, PluginLoader loader, ILoggerFactory loggerFactory, EngineHostOptions options)
    {
        _config = config;
        _loader = loader;
        _loggerFactory = loggerFactory;
        _options = options;
        _clock = options.Clock;
        _startedAt = _clock.GetTimestamp();
        _logger = loggerFactory.CreateLogger("ArbBot.Engine");
        Kernel = new EngineKernel(new BookStore(), config.Engine.ChannelCapacity, config.Engine.TimerInterval, loggerFactory.CreateLogger("ArbBot.Kernel"), _clock, inline: options.Replay)
        {
            IdleSpin = config.Engine.IdleSpin,
            Drift = new DriftWatch { Grace = config.Engine.DriftCheck },
            SilentAfter = options.Replay ? TimeSpan.Zero : config.Engine.SilentAfter, // a replay's quiet stretches are the recording's, not a dead feed
        };
    }

    /// <summary>The kernel (books, counters).</summary>
    public EngineKernel Kernel { get; }

    /// <summary>Configured venues and their state.</summary>
    public IReadOnlyList<VenueRuntime> Venues => _venues;

    /// <summary>Configured pairs, by event index; a pair taken out of the pairs file while running keeps its place, retired (<see cref="IsRetired"/>).</summary>
    public IReadOnlyList<MarketPair> Pairs => _pairs;

    /// <summary>Pairs the engine trades now (<see cref="Pairs"/> less the retired).</summary>
    public int ActivePairCount => _pairs.Count - _retired.Count;

    /// <summary>Positions and open orders, from fills and order updates.</summary>
    public Inventory Inventory { get; } = new();

    /// <summary>Intent groups the strategies emitted.</summary>
    public OpportunityLog Opportunities { get; private set; } = null!;

    /// <summary>The Redis mirror, or null when <c>redis.enabled</c> is false (after <see cref="StartAsync"/>).</summary>
    public RedisMirror? Mirror { get; private set; }

    /// <summary>This engine's grants of the risk budget it shares with other engines (<c>risk.shared_budget</c>), or null. Kernel thread only.</summary>
    public SharedBudget? SharedBudget { get; private set; }

    /// <summary>What keeps <see cref="SharedBudget"/> in step with Redis, or null (no shared budget, or Redis off).</summary>
    public SharedBudgetLease? BudgetLease { get; private set; }

    /// <summary>The pairs this engine owns (<c>engine.ownership_lease</c>), or null: it trades every configured pair. Kernel thread only.</summary>
    public PairOwnership? Ownership { get; private set; }

    /// <summary>What keeps <see cref="Ownership"/> in step with Redis, or null.</summary>
    public PairOwnershipLease? OwnershipLease { get; private set; }

    /// <summary>The decision pipeline the kernel runs for every event (after <see cref="StartAsync"/>).</summary>
    public DecisionPipeline Pipeline { get; private set; } = null!;

    /// <summary>Execution: risk, orders, the legged policy (after <see cref="StartAsync"/>).</summary>
    public ExecutionEngine Execution { get; private set; } = null!;

    /// <summary>The order state (after <see cref="StartAsync"/>).</summary>
    public OrderManager Orders => Execution.Orders;

    /// <summary>The engine's control input: operator commands, whatever carried them.</summary>
    public ControlInbox Control { get; } = new();

    /// <summary>The SQLite fill log, the execution journal (after <see cref="StartAsync"/>).</summary>
    public FillLog FillLog { get; private set; } = null!;

    /// <summary>Alerts (after <see cref="StartAsync"/>).</summary>
    public AlertSink Alerts { get; private set; } = null!;

    /// <summary>The kill switch (after <see cref="StartAsync"/>).</summary>
    public KillSwitch Kill { get; private set; } = null!;

    /// <summary>The strategy host (after <see cref="StartAsync"/>).</summary>
    public StrategyHost Strategies { get; private set; } = null!;

    /// <summary>Watches the kernel thread for a call that never returns; null in replay or when <c>engine.stuck_after</c> is off.</summary>
    public KernelWatchdog? Watchdog { get; private set; }

    /// <summary>Reconciliation with the live venues' accounts; null in paper mode and replay.</summary>
    public AccountReconciler? Reconciler { get; private set; }

    /// <summary>Problems found while starting (one line each, naming the file or venue).</summary>
    public List<string> StartupErrors { get; } = new();

    /// <summary>The configured strategies that could not start (a missing file, a compile error, a bad parameter), one line each.</summary>
    public List<string> StrategyErrors { get; } = new();

    /// <summary>
    /// Raised after a plugin was reloaded, with its path and a weak reference to the old load
    /// context (dead once the old code has been collected; null if nothing was loaded before).
    /// </summary>
    public event Action<string, WeakReference?>? PluginReloaded;

    /// <summary>
    /// Loads plugins, registers books, starts the kernel, connects and subscribes. Throws
    /// <see cref="ConfigException"/> for settings that break the config's rules; other venue
    /// failures are logged and listed in <see cref="StartupErrors"/>.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (VenueConfig venueConfig in _config.Venues)
        {
            int index = Kernel.AddVenue(venueConfig.Name);
            var runtime = new VenueRuntime(index, venueConfig, new VenueEventSink(Kernel, index));
            _venues.Add(runtime);
            LoadPluginFor(runtime);
            if (runtime.Failure is null)
            {
                if (_options.Replay)
                {
                    CreateReplayParts(runtime);
                }
                else
                {
                    CreateParts(runtime);
                }
            }
        }

        RegisterBooks();
        Inventory.MapEvents(_pairs);
        Inventory.MapGroups(_config.Groups.Select(g => (g.Outcomes.Select(o => _pairs.ToList().FindIndex(p => p.EventId == o)).ToArray(), g.Exhaustive)).ToList());
        for (int m = 0; m < Kernel.Books.Count; m++)
        {
            // A bids-only venue (Kalshi) has one YES book and one signed position per market: YES and NO held together close at once.
            if (Kernel.Books[new MarketHandle(m)].Style == BookStyle.BidsOnly)
            {
                Inventory.NetOutcomes(new MarketHandle(m));
            }
        }

        _pairWatch = new PairWatch(Kernel.Books, _pairs);
        var groupIds = new GroupIds(_clock);
        StartExecution(groupIds);
        Kernel.SilenceChanged += (venue, silent, why) => Alerts.Raise(silent ? "warning" : "info", "silent_feed", null, why, _clock.GetUtcNow().ToUnixTimeMilliseconds());
        Opportunities = new OpportunityLog(_loggerFactory.CreateLogger("ArbBot.Opportunities"));
        var intents = new IntentQueue();
        string cacheDirectory = Path.GetFullPath(_config.Engine.CacheDirectory, _config.BaseDirectory);
        _compiler = _options.StrategyCompiler?.Invoke(cacheDirectory) ?? InProcessCompiler(cacheDirectory);
        Strategies = new StrategyHost(_config, Kernel, _pairs, Inventory, intents, _compiler, _loggerFactory.CreateLogger("ArbBot.Strategies"), _clock, groupIds)
        {
            Alerts = Alerts,
        };
        IReadOnlyList<string> strategyProblems = Strategies.LoadAll();
        StrategyErrors.AddRange(strategyProblems);
        StartupErrors.AddRange(strategyProblems);
        if (strategyProblems.Count > 0 && _options.RequireAllStrategies)
        {
            throw new StrategyStartException(strategyProblems); // before the kernel runs: nothing is traded without them
        }

        // The decision pipeline: positions -> strategies -> risk -> orders -> simulated venues -> observers (docs/architecture.md).
        Pipeline = new DecisionPipeline(Inventory, Strategies, intents, Execution, Opportunities, _loggerFactory.CreateLogger("ArbBot.Pipeline"));
        if (Reconciler is not null)
        {
            Pipeline.AddControl(Reconciler);
        }

        foreach (PaperExecutor paper in _paperExecutors)
        {
            Pipeline.AddVenueSimulator(paper);
        }

        Pipeline.AddObserver(_pairWatch);
        foreach (IKernelListener observer in _observers)
        {
            Pipeline.AddObserver(observer);
        }

        Kernel.AddListener(Pipeline);
        if (_config.Redis.Enabled && !_options.Replay)
        {
            _publisher = new EnginePublisher(_config, _pairs.Select(p => p.EventId).ToList());
            Mirror = NewMirror();
            Pipeline.AddObserver(Mirror);
            Mirror.Start();
            if (Ownership is not null)
            {
                if (Reconciler is { } reconciler)
                {
                    // A pair another engine traded: its positions and orders are read back from the venues before it trades here.
                    Ownership.TakenOver = e =>
                    {
                        foreach (int venue in Inventory.MarketsOf(e).Select(m => Kernel.Books[m].VenueIndex).Distinct())
                        {
                            reconciler.RecheckBeforeTrading(venue, $"taking over {_pairs[e].EventId} from another engine: its account is read back first");
                        }
                    };
                }

                OwnershipLease = new PairOwnershipLease(_config.Redis, _config.Engine.Id, Kernel, Ownership, Execution, Inventory, _loggerFactory.CreateLogger("ArbBot.Ownership"));
                OwnershipLease.Start();
            }

            if (SharedBudget is not null)
            {
                BudgetLease = new SharedBudgetLease(_config.Redis, _config.Engine.Id, Kernel, SharedBudget, _loggerFactory.CreateLogger("ArbBot.Risk"));
                BudgetLease.Start();
            }
        }

        Kernel.RequestResync = (venueIndex, market, reason) => _venues[venueIndex].Connector?.RequestSnapshot(market, reason);
        FillLog.Start();
        if (_options.Replay)
        {
            // Replay: the caller's thread is the kernel; the recording brings the market data.
            Kernel.StartInline();
            foreach (VenueRuntime venue in _venues)
            {
                venue.Decoder?.Subscribe(venue.Subscriptions);
            }

            return;
        }

        if (_options.CollectStartupGarbage)
        {
            CollectStartupGarbage();
        }

        Kernel.Start();
        Kill.Start();

        foreach (VenueRuntime venue in _venues)
        {
            if (venue.Failure is null)
            {
                await StartVenueAsync(venue, cancellationToken).ConfigureAwait(false);
            }
        }

        Reconciler?.Start(); // once the executors run: orders to live venues wait for it
        if (_config.Engine.StuckAfter > TimeSpan.Zero)
        {
            Watchdog = new KernelWatchdog(Kernel, _venues,
                () => Enumerable.Range(0, Kernel.Books.Count).Select(m => Kernel.Books[new MarketHandle(m)]).Select(b => b.VenueName + "\n" + b.MarketId).ToHashSet(StringComparer.Ordinal),
                _config.StateDatabasePath, FillLog.FlushAsync, _config.Engine.StuckAfter, _loggerFactory.CreateLogger("ArbBot.Watchdog"));
            Watchdog.Start();
        }
    }

    /// <summary>See <see cref="EngineHostOptions.CollectStartupGarbage"/>: before the kernel starts, so no decision waits for it.</summary>
    private void CollectStartupGarbage()
    {
        long before = GC.GetTotalMemory(forceFullCollection: false);
        long started = Stopwatch.GetTimestamp();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        _logger.LogInformation("start-up garbage collected before trading: heap {Before} -> {After} MB in {Elapsed} ms",
            before >> 20, GC.GetTotalMemory(forceFullCollection: false) >> 20, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>A Redis mirror over every book registered now, wired to what it publishes (not yet an observer, not started).</summary>
    private RedisMirror NewMirror()
    {
        var mirror = new RedisMirror(_config.Redis, _config.Engine.Id, Kernel,
            () => Strategies.Strategies.Select(s => (s.Name, s.Version ?? "-")).ToList(), _loggerFactory.CreateLogger("ArbBot.Mirror"))
        {
            Control = Control, // the kill keys' commands come back in through the control input, never through a decision
            KillState = () => Kill?.State?.Mode ?? "off", // what a global kill command's acknowledgement reports
        };
        Opportunities.OpportunityFound += mirror.OnOpportunity;
        Alerts.Published += mirror.OnAlert;
        Execution.AttemptEnded += mirror.OnAttemptEnded;
        mirror.Publication = () => _lastSummary is { } summary ? Volatile.Read(ref _publisher)!.Publish(summary) : null;
        return mirror;
    }

    /// <summary>Unwires a mirror that another took over from (<see cref="NewMirror"/>).</summary>
    private void Unwire(RedisMirror mirror)
    {
        Opportunities.OpportunityFound -= mirror.OnOpportunity;
        Alerts.Published -= mirror.OnAlert;
        Execution.AttemptEnded -= mirror.OnAttemptEnded;
    }

    /// <summary>
    /// Before stopping: halts new strategy orders, cancels resting ones, and waits (up to
    /// <paramref name="timeout"/>) for working orders to finish and legged events to be made flat,
    /// so a run ends with nothing unhedged. Returns whether it got there.
    /// </summary>
    public async Task<bool> WindDownAsync(TimeSpan timeout)
    {
        await Kernel.InvokeAsync(() =>
        {
            Execution.BeginWindDown();
            return true;
        }).ConfigureAwait(false);
        DateTime until = DateTime.UtcNow + timeout;
        while (!await Kernel.InvokeAsync(() => Execution.IsQuiet).ConfigureAwait(false))
        {
            if (DateTime.UtcNow >= until)
            {
                ExecutionSummary s = await Kernel.InvokeAsync(Execution.Summarize).ConfigureAwait(false);
                _logger.LogWarning("stopping with {Working} orders still working and {Open} legged events (unhedged ${Unhedged}); they are in the fill log and are taken up again at the next start",
                    s.WorkingOrders, s.LeggedOpen, s.UnhedgedExposure);
                return false;
            }

            await Task.Delay(50).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Settles a resolved event on the kernel thread: the winning outcome pays $1 a contract. Returns the P&amp;L booked.</summary>
    public Task<Abstractions.FixedPoint.Money> SettleAsync(string eventId, Outcome winner)
    {
        int index = _pairs.FindLastIndex(p => p.EventId == eventId); // a pair re-added to the pairs file: its newest place
        if (index < 0)
        {
            throw new ArgumentException($"no configured event {eventId}", nameof(eventId));
        }

        return Kernel.InvokeAsync(() =>
        {
            long nowMs = _clock.GetUtcNow().ToUnixTimeMilliseconds();
            Abstractions.FixedPoint.Money pnl = Abstractions.FixedPoint.Money.Zero;
            foreach (MarketHandle market in Inventory.MarketsOf(index))
            {
                pnl += Execution.Settle(Kernel.Books[market], winner, nowMs).Pnl;
            }

            return pnl;
        });
    }

    /// <summary>Recompiles and swaps in strategies when their .csx files (or #load helpers) change.</summary>
    public void WatchStrategies() => Strategies.Watch();

    /// <summary>Adds an observer to the decision pipeline (it sees each event after the decisions on it); call before <see cref="StartAsync"/>.</summary>
    public void AddListener(IKernelListener listener)
    {
        if (Pipeline is null)
        {
            _observers.Add(listener);
        }
        else
        {
            Pipeline.AddObserver(listener);
        }
    }

    /// <summary>
    /// Watches every configured plugin DLL that exists (loaded, or refused at start, so that a
    /// fixed build is picked up) and reloads it when a new build replaces it.
    /// </summary>
    public void WatchPlugins()
    {
        var paths = new SortedSet<string>(_pluginsByPath.Keys, StringComparer.Ordinal);
        foreach (VenueRuntime venue in _venues)
        {
            if (_loader.Resolve(venue.Config.Plugin, _config.BaseDirectory) is { } resolved)
            {
                paths.Add(resolved);
            }
        }

        foreach (string path in paths)
        {
            var watcher = new FileSystemWatcher(Path.GetDirectoryName(path)!, Path.GetFileName(path))
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.FileName | NotifyFilters.CreationTime,
            };
            string watched = path;
            var debounce = new Timer(_ => _ = ReloadPluginAsync(watched), null, Timeout.Infinite, Timeout.Infinite);

            // A build writes the file in several steps: wait until it has been quiet for a moment.
            FileSystemEventHandler changed = (_, _) => debounce.Change(500, Timeout.Infinite);
            watcher.Changed += changed;
            watcher.Created += changed;
            watcher.Renamed += (_, _) => debounce.Change(500, Timeout.Infinite);
            watcher.EnableRaisingEvents = true;
            _watchers.Add(watcher);
        }
    }

    /// <summary>
    /// Reloads one plugin DLL: stops its venues, unloads the old code, loads the new file, and
    /// starts the venues again with fresh snapshots (their books begin a new epoch). If the new
    /// file does not load, the error is logged and the venues stay stopped until a good build appears.
    /// </summary>
    public async Task<bool> ReloadPluginAsync(string pluginPath)
    {
        await _reloadGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_stopping.IsCancellationRequested)
            {
                return false;
            }

            List<VenueRuntime> affected = _venues.Where(v => v.Plugin?.Path == pluginPath || (v.Plugin is null && v.Failure is not null && _loader.Resolve(v.Config.Plugin, _config.BaseDirectory) == pluginPath)).ToList();
            if (affected.Count == 0)
            {
                return false;
            }

            if (_pluginsByPath.TryGetValue(pluginPath, out LoadedPlugin? old) && File.Exists(pluginPath)
                && Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(pluginPath))) == old.FileHash)
            {
                return false; // touched but not changed
            }

            _logger.LogInformation("plugin {Path} changed; reloading venues {Venues}", pluginPath, string.Join(", ", affected.Select(v => v.Name)));
            foreach (VenueRuntime venue in affected)
            {
                await StopVenueAsync(venue).ConfigureAwait(false);
                foreach (MarketSubscription sub in venue.Subscriptions)
                {
                    Kernel.Post(KernelEvent.ForInvalidation(venue.Index, sub.Handle, "plugin reloaded"));
                }
            }

            WeakReference? oldContext = null;
            if (old is not null)
            {
                _pluginsByPath.Remove(pluginPath);
                oldContext = old.Unload();
            }

            foreach (VenueRuntime venue in affected)
            {
                venue.Plugin = null;
                venue.Failure = null;
                LoadPluginFor(venue);
                if (venue.Failure is null)
                {
                    try
                    {
                        CreateParts(venue);
                    }
                    catch (ConfigException ex)
                    {
                        // At start a bad setting stops the run; while running it stops only this venue, said plainly (never silently).
                        Fail(venue, $"{ex.Message} (plugin {pluginPath} reloaded; the venue stays stopped until the setting or the plugin is fixed)");
                    }
                }

                if (venue.Failure is null)
                {
                    venue.Reloads++;
                    await StartVenueAsync(venue, _stopping.Token).ConfigureAwait(false);
                }
            }

            PluginReloaded?.Invoke(pluginPath, oldContext);
            return affected.All(v => v.Failure is null);
        }
        finally
        {
            _reloadGate.Release();
        }
    }

    /// <summary>Stops one venue's connector and executor (its books go stale in the mirror's eyes and expire there).</summary>
    public async Task StopVenueAsync(string name)
    {
        VenueRuntime venue = _venues.Single(v => v.Name == name);
        await _reloadGate.WaitAsync().ConfigureAwait(false);
        try
        {
            await StopVenueAsync(venue).ConfigureAwait(false);
        }
        finally
        {
            _reloadGate.Release();
        }
    }

    /// <summary>Takes a summary on the kernel thread.</summary>
    public async Task<EngineSummary> SummarizeAsync()
    {
        long now = _clock.GetTimestamp();
        EngineSummary? previous = _lastSummary;
        long previousAt = _lastSummaryAt;
        EngineSummary summary = await Kernel.InvokeAsync(() => Summarize(now, previous, previousAt)).ConfigureAwait(false);
        _lastSummary = summary;
        _lastSummaryAt = now;
        return summary;
    }

    /// <summary>The latest summary taken (by the run's display loop, every summary_interval), or null before the first.</summary>
    public EngineSummary? LatestSummary => _lastSummary;

    /// <summary>Roslyn in this process. Apart, so that code not taking this path never loads the compiler's assemblies.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static IStrategyCompiler InProcessCompiler(string cacheDirectory) => new Scripting.ScriptCompiler(cacheDirectory);

    /// <summary>Stops every venue, the kernel, and unloads plugins.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        Strategies?.Dispose();
        (_compiler as IDisposable)?.Dispose(); // a compile process ends with its engine
        foreach (FileSystemWatcher watcher in _watchers)
        {
            watcher.Dispose();
        }

        await _reloadGate.WaitAsync().ConfigureAwait(false);
        try
        {
            foreach (VenueRuntime venue in _venues)
            {
                await StopVenueAsync(venue).ConfigureAwait(false);
            }

            if (Watchdog is not null)
            {
                await Watchdog.DisposeAsync().ConfigureAwait(false);
            }

            if (Reconciler is not null)
            {
                await Reconciler.DisposeAsync().ConfigureAwait(false);
            }

            BudgetLease?.Dispose(); // returns the grants to the budget
            OwnershipLease?.Dispose(); // hands the pairs back
            await Kernel.DisposeAsync().ConfigureAwait(false);
            foreach (PaperExecutor paper in _paperExecutors)
            {
                await paper.DisposeAsync().ConfigureAwait(false);
            }

            Kill?.Dispose();
            if (FillLog is not null)
            {
                await FillLog.DisposeAsync().ConfigureAwait(false); // commits every row queued before it returns
            }

            if (Alerts is not null)
            {
                await Alerts.DisposeAsync().ConfigureAwait(false);
            }

            Mirror?.Dispose();
            foreach (LoadedPlugin plugin in _pluginsByPath.Values)
            {
                plugin.Unload();
            }

            _pluginsByPath.Clear();
        }
        finally
        {
            _reloadGate.Release();
        }
    }

    private EngineSummary Summarize(long now, EngineSummary? previous, long previousAt)
    {
        BookStore books = Kernel.Books;
        int stale = 0;
        int crossed = 0;
        var perVenueBooks = new int[_venues.Count];
        var perVenueStale = new int[_venues.Count];
        int counted = 0;
        for (int i = 0; i < books.Count; i++)
        {
            if (_retiredBooks.Contains(i))
            {
                continue; // taken out of the pairs file: not the engine's any more
            }

            MarketBook book = books[new MarketHandle(i)];
            counted++;
            perVenueBooks[book.VenueIndex]++;
            if (book.IsStale)
            {
                stale++;
                perVenueStale[book.VenueIndex]++;
            }

            if (book.IsCrossed)
            {
                crossed++;
            }
        }

        double seconds = previous is null ? Stopwatch.GetElapsedTime(_startedAt, now).TotalSeconds : Stopwatch.GetElapsedTime(previousAt, now).TotalSeconds;
        var venues = new List<VenueSummary>();
        foreach (VenueRuntime venue in _venues)
        {
            VenueCounters c = Kernel.Venues[venue.Index];
            long updates = c.Deltas + c.Snapshots;
            long previousUpdates = previous?.Venues[venue.Index] is { } p ? p.Deltas + p.Snapshots : 0;
            string status = venue.Failure is not null ? "failed" : c.Silent && c.Status == Abstractions.Events.VenueStatus.Connected ? "silent" : c.Status.ToString().ToLowerInvariant();
            venues.Add(new VenueSummary(
                venue.Name,
                venue.Plugin?.Descriptor.Name ?? venue.Config.Plugin,
                status,
                perVenueBooks[venue.Index],
                perVenueStale[venue.Index],
                c.Deltas,
                c.Snapshots,
                c.Gaps,
                c.Invalidations,
                c.StaleDrops,
                c.Rejected,
                seconds > 0 ? (updates - previousUpdates) / seconds : 0,
                c.Trades,
                c.Drifts)
            {
                LastUpdateAgeMs = c.LastUpdateTimestamp == 0 ? null : Stopwatch.GetElapsedTime(c.LastUpdateTimestamp, now).TotalMilliseconds,
                Reconnects = c.Reconnects,
            });
        }

        var strategies = new List<StrategySummary>();
        foreach (StrategyRuntime runtime in Strategies?.Strategies ?? [])
        {
            StrategyOpportunityStats stats = Opportunities.StatsFor(runtime.Name);
            strategies.Add(new StrategySummary(
                runtime.Name,
                runtime.Version ?? "-",
                runtime.DisabledReason is null ? "running" : "off: " + runtime.DisabledReason,
                runtime.Calls,
                runtime.Errors,
                runtime.Reloads,
                stats.Opportunities,
                stats.Groups)
            {
                File = runtime.File,
            });
        }

        (double P50Us, double P99Us) latency = Kernel.Latency.Percentiles();
        return new EngineSummary(
            Stopwatch.GetElapsedTime(_startedAt, now),
            ActivePairCount,
            counted,
            stale,
            crossed,
            _pairWatch?.OpenNow ?? 0,
            _pairWatch?.Sightings ?? 0,
            Kernel.EventsProcessed,
            Kernel.BackPressureWaits,
            Kernel.QueueDepthMax,
            venues,
            strategies,
            Mirror?.Status() ?? new MirrorStatus("off: redis.enabled is false", 0, 0, 0, 0, 0))
        {
            Execution = Execution?.Summarize(),
            LatencyP50Us = latency.P50Us,
            LatencyP99Us = latency.P99Us,
            Positions = Positions(),
            Ownership = Ownership is { } ownership
                ? new OwnershipSummary(ownership.Standby ? "standby" : "active", ownership.Owned().Select((owned, e) => owned ? _pairs[e].EventId : null).OfType<string>().ToList(), OwnershipLease?.Share ?? 0)
                : null,
            SharedBudget = SharedBudget is { } budget ? new SharedBudgetSummary(budget.Options.Name, budget.Mode, budget.TotalGranted, budget.Options.TotalUsd) : null,
        };
    }

    private List<PositionSummary> Positions()
    {
        var positions = new List<PositionSummary>();
        for (int e = 0; e < _pairs.Count && e < Inventory.EventCount; e++)
        {
            EventExposure x = Inventory.ExposureOf(e);
            if ((!x.Yes.IsZero || !x.No.IsZero) && Inventory.GroupOf(e) < 0)
            {
                positions.Add(new PositionSummary(_pairs[e].EventId, x.Yes, x.No, x.Matched, x.Unhedged, x.LockedIn, x.UnhedgedCost));
            }
        }

        for (int g = 0; g < Inventory.GroupCount; g++)
        {
            GroupExposure x = Inventory.GroupExposureOf(g);
            Abstractions.FixedPoint.Quantity yes = default, no = default;
            for (int w = 0; w < x.Outcomes; w++)
            {
                yes += x.Yes(w);
                no += x.No(w);
            }

            if (!yes.IsZero || !no.IsZero)
            {
                positions.Add(new PositionSummary(_config.Groups[g].EventId, yes, no, x.MinPayoff, x.Unhedged, x.LockedIn, x.UnhedgedCost));
            }
        }

        return positions;
    }

    private void StartExecution(GroupIds groupIds)
    {
        string path = _config.StateDatabasePath;
        FillLog = FillLog.Open(path, _config.Engine.Id, _loggerFactory.CreateLogger("ArbBot.FillLog"));
        FillLogState state = FillLogReader.Load(path);
        Alerts = new AlertSink(_config.Alerts, _config.Engine.Id, FillLog, _loggerFactory.CreateLogger("ArbBot.Alerts"));
        Kill = new KillSwitch(new SqliteKillStateStore(path), Control, Alerts, _loggerFactory.CreateLogger("ArbBot.Kill"), _clock);
        RiskLimits limits = _config.Risk;
        if (limits.SharedBudget is { } shared && !_options.Replay)
        {
            // A replay decides alone, on its recording: the other engines' grants are not in it.
            SharedBudget = new SharedBudget(shared, Inventory, _pairs.Select(p => p.EventId).ToList(), _config.Groups.Select(g => g.EventId).ToList(), _clock);
            if (!_config.Redis.Enabled)
            {
                SharedBudget.FallBack("redis.enabled is false");
            }
        }

        if (_config.Engine.OwnershipLease > TimeSpan.Zero && !_options.Replay)
        {
            Ownership = new PairOwnership(_pairs.Select(p => p.EventId).ToList(), _config.Engine.OwnershipLease, _config.Engine.Standby, _clock);
        }

        var routes = new List<ExecutionRoute>();
        foreach (VenueRuntime venue in _venues)
        {
            VenueRuntime v = venue;
            var bucket = new TokenBucket(limits.VenueOrdersPerSecond, limits.VenueOrdersPerSecond);
            var breaker = new CircuitBreaker(limits.BreakerErrors, limits.BreakerCooldown);
            if (UsesPaperExecutor(venue))
            {
                var paper = new PaperExecutor(Kernel, venue.Index, venue.Name, venue.Sink, _config.Execution.PaperLatency, _clock);
                _paperExecutors.Add(paper);
                routes.Add(new ExecutionRoute(venue.Index, venue.Name, "paper (live books)", () => paper, bucket, breaker));
            }
            else
            {
                string kind = _config.Execution.Mode == ExecutionMode.Live ? "live" : "simulator";
                routes.Add(new ExecutionRoute(venue.Index, venue.Name, kind, () => v.Executor, bucket, breaker));
            }
        }

        // Live venues are reconciled with their accounts: orders wait for the first check; their cash comes from the venue.
        List<int> reconciled = _options.Replay ? [] : routes.Where(r => r.Kind == "live").Select(r => r.VenueIndex).ToList();
        VenueCash? cash = _config.Execution.Mode == ExecutionMode.Paper && _config.Venues.Any(v => v.PaperBalanceUsd is not null)
            ? new VenueCash(_config.Venues.Select(v => v.PaperBalanceUsd).ToList(), Kernel.Books, Inventory)
            : null;
        AccountGate? account = null;
        if (reconciled.Count > 0)
        {
            account = new AccountGate(routes.Count, reconciled);
            cash ??= new VenueCash(new Abstractions.FixedPoint.Money?[routes.Count], Kernel.Books, Inventory);
        }

        LeggedPolicy? policy = null; // made by the execution engine below; the legged check reads it then
        IRiskCheck[] checks = RiskChecks.Standard(limits, Kernel.Books, Inventory, routes, Kill, account, () => cash, e => policy!.IsLegged(e), _config.Groups, SharedBudget, Ownership);
        var risk = new RiskEngine(limits, checks, Kill, Alerts, _loggerFactory.CreateLogger("ArbBot.Risk"), _clock) { Cash = cash, Account = account };
        var orders = new OrderManager(Kernel, Inventory, routes, FillLog, _config.Execution.RestingTimeout, _loggerFactory.CreateLogger("ArbBot.Orders"), _clock);
        Execution = new ExecutionEngine(_config, Kernel.Books, Inventory, routes, orders, risk, FillLog, Alerts, groupIds, _loggerFactory.CreateLogger("ArbBot.Execution"), _clock);
        policy = Execution.Policy;
        Execution.Ownership = Ownership;
        var markets = new Dictionary<(string, string), MarketHandle>();
        for (int i = 0; i < Kernel.Books.Count; i++)
        {
            MarketBook book = Kernel.Books[new MarketHandle(i)];
            markets[(book.VenueName, book.MarketId)] = book.Handle;
        }

        // A plugin's simulated world starts afresh each run (paper or live): nothing of an earlier run is carried into it.
        HashSet<string> simulated = _venues.Where(v => v.Plugin is not null && (v.Plugin.Descriptor.Capabilities & VenueCapabilities.Simulated) != 0 && !UsesPaperExecutor(v))
            .Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        new JournalRecovery(Execution, Inventory, FillLog, groupIds, _loggerFactory.CreateLogger("ArbBot.Orders"), _clock)
            .Restore(state, markets, simulated, reconciled.Select(v => routes[v].Venue).ToHashSet(StringComparer.Ordinal));
        if (account is not null)
        {
            Reconciler = new AccountReconciler(Kernel, Execution, Inventory, reconciled, account, cash!, FillLog, Alerts,
                _config.Execution.ReconcileInterval, _loggerFactory.CreateLogger("ArbBot.Reconcile"), _clock);
            foreach (int v in reconciled)
            {
                _venues[v].Sink.Reconnected = () => Reconciler.OnReconnected(v);
            }
        }

        _logger.LogInformation("execution: {Mode} mode, orders via {Routes}; fill log {Path}", _config.Execution.Mode.ToString().ToLowerInvariant(),
            string.Join(", ", routes.Select(r => $"{r.Venue}={r.Kind}")), path);
    }

    /// <summary>Paper mode fills on the engine's paper executor unless the plugin simulates the venue itself; replay always does.</summary>
    private bool UsesPaperExecutor(VenueRuntime venue) =>
        _options.Replay
        || (_config.Execution.Mode == ExecutionMode.Paper
            && (venue.Config.PaperFills == PaperFills.Book || venue.Plugin is null || (venue.Plugin.Descriptor.Capabilities & VenueCapabilities.Simulated) == 0));

    private void LoadPluginFor(VenueRuntime venue)
    {
        VenueConfig config = venue.Config;
        string? path = _loader.Resolve(config.Plugin, _config.BaseDirectory);
        if (path is null)
        {
            string where = config.Plugin.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
                ? Path.GetFullPath(config.Plugin, _config.BaseDirectory)
                : $"{config.Plugin}/{config.Plugin}.dll in {string.Join(", ", _loader.SearchDirectories)}";
            Fail(venue, $"{_config.SourcePath}:{config.Line}: venue {config.Name}: plugin not found: {where}");
            return;
        }

        try
        {
            if (!_pluginsByPath.TryGetValue(path, out LoadedPlugin? plugin))
            {
                plugin = PluginLoader.Load(path);
                _pluginsByPath[path] = plugin;
                _logger.LogInformation("loaded plugin {Name} {Version} from {Path}", plugin.Descriptor.Name, plugin.Descriptor.Version, path);
            }

            venue.Plugin = plugin;
            venue.Settings = VenueSettings.Validate(_config.SourcePath, config, plugin.Descriptor);
        }
        catch (PluginLoadException ex)
        {
            Fail(venue, $"venue {config.Name}: {ex.Message}");
        }
    }

    private void RegisterBooks()
    {
        foreach (PairConfig pair in _config.Pairs)
        {
            var handles = new List<MarketHandle>();
            foreach (PairLegConfig leg in pair.Legs)
            {
                VenueRuntime venue = _venues.First(v => v.Name == leg.Venue);
                BookStyle style = venue.Connector?.BookStyle ?? venue.Decoder?.BookStyle ?? venue.ReplayStyle ?? BookStyle.TwoSided;
                MarketHandle handle = Kernel.Books.Register(venue.Index, venue.Name, leg.Market, style);
                Kernel.Books[handle].Fees = venue.Config.Fees;
                venue.Subscriptions.Add(new MarketSubscription(handle, leg.Market, leg.YesId, leg.NoId));
                handles.Add(handle);
            }

            _pairs.Add(new MarketPair(pair.EventId, handles));
            _slots.Add(pair);
        }
    }

    private void CreateParts(VenueRuntime venue)
    {
        LoadedPlugin plugin = venue.Plugin!;
        Abstractions.Events.IVenueEventSink books = venue.Sink;
        Abstractions.Plugins.IFrameRecorder? frames = null;
        if (_options.Recorder is { } recorder)
        {
            // Venues that hand over their raw messages are recorded as such; the others as decoded events. Fees announced per market are recorded for all.
            bool recordsFrames = (plugin.Descriptor.Capabilities & VenueCapabilities.RecordsFrames) != 0;
            frames = recordsFrames ? recorder.FramesOf(venue.Index) : null;
            books = recorder.EventsOf(venue.Index, venue.Sink, handle => Kernel.Books.Contains(handle) ? Kernel.Books[handle].MarketId : null, marketData: !recordsFrames);
        }

        VenueContext context = ContextFor(venue, books, frames);
        try
        {
            venue.Session = plugin.Plugin.Open(context);
            venue.Connector = venue.Session.CreateConnector();

            // Recording: the venue goes into the table before anything of it can be recorded (an executor may start the feed).
            _options.Recorder?.DeclareVenue(venue.Index, venue.Name, plugin.Descriptor.Name, venue.Connector.BookStyle, frames is not null);
            // A paper venue filled by the engine never gets a live executor: no order can reach the real venue.
            if ((plugin.Descriptor.Capabilities & VenueCapabilities.Trading) != 0 && !UsesPaperExecutor(venue))
            {
                venue.Executor = venue.Session.CreateExecutor();
            }
        }
        catch (VenueSettingException ex)
        {
            StopVenueAsync(venue).GetAwaiter().GetResult();
            throw SettingError(venue, ex);
        }
        catch (Exception ex)
        {
            StopVenueAsync(venue).GetAwaiter().GetResult();
            Fail(venue, $"venue {venue.Name}: plugin {plugin.Path} failed to create its connector: {ex.Message}");
        }
    }

    /// <summary>
    /// Replay: the plugin's frame decoder, fed the recorded messages; or, for a venue recorded as
    /// decoded events, just its book style (from the recording, else from a connector made and
    /// dropped without connecting).
    /// </summary>
    private void CreateReplayParts(VenueRuntime venue)
    {
        LoadedPlugin plugin = venue.Plugin!;
        VenueContext context = ContextFor(venue, venue.Sink, frames: null);
        try
        {
            venue.Session = plugin.Plugin.Open(context);
            if ((plugin.Descriptor.Capabilities & VenueCapabilities.RecordsFrames) != 0)
            {
                venue.Decoder = venue.Session.CreateFrameDecoder();
            }

            if (venue.Decoder is null)
            {
                if (_options.RecordedStyles.TryGetValue(venue.Name, out BookStyle recorded))
                {
                    venue.ReplayStyle = recorded;
                }
                else
                {
                    IVenueConnector probe = venue.Session.CreateConnector();
                    venue.ReplayStyle = probe.BookStyle;
                    probe.DisposeAsync().AsTask().GetAwaiter().GetResult();
                }
            }
        }
        catch (VenueSettingException ex)
        {
            throw SettingError(venue, ex);
        }
        catch (Exception ex)
        {
            Fail(venue, $"venue {venue.Name}: plugin {plugin.Path} failed to create its replay decoder: {ex.Message}");
        }
    }

    private VenueContext ContextFor(VenueRuntime venue, Abstractions.Events.IVenueEventSink books, Abstractions.Plugins.IFrameRecorder? frames) => new(
        venue.Name,
        venue.Settings,
        books,
        venue.Sink,
        new PluginLog(_loggerFactory.CreateLogger($"ArbBot.Venue.{venue.Name}"), venue.Name),
        _clock)
    {
        BaseDirectory = _config.BaseDirectory,
        Recorder = frames,
    };

    /// <summary>A plugin's complaint about a setting, as a config error naming the file, line and key.</summary>
    private ConfigException SettingError(VenueRuntime venue, VenueSettingException ex)
    {
        long line = venue.Config.SettingLines.TryGetValue(ex.Key, out long l) ? l : venue.Config.Line;
        return new ConfigException(_config.SourcePath, line, $"venues.{venue.Name}.settings.{ex.Key} {ex.Message}", ex);
    }

    private async Task StartVenueAsync(VenueRuntime venue, CancellationToken cancellationToken)
    {
        if (venue.Connector is null)
        {
            return;
        }

        if (venue.Subscriptions.Count > 0 && Kernel.Books[venue.Subscriptions[0].Handle].Style != venue.Connector.BookStyle)
        {
            await StopVenueAsync(venue).ConfigureAwait(false);
            Fail(venue, $"venue {venue.Name}: the reloaded plugin publishes {venue.Connector.BookStyle} books but the engine registered them as {Kernel.Books[venue.Subscriptions[0].Handle].Style}; restart the engine");
            return;
        }

        try
        {
            await venue.Connector.ConnectAsync(cancellationToken).ConfigureAwait(false);
            await venue.Connector.SubscribeAsync(venue.Subscriptions, cancellationToken).ConfigureAwait(false);
            _logger.LogInformation("venue {Venue} started with {Markets} markets", venue.Name, venue.Subscriptions.Count);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await StopVenueAsync(venue).ConfigureAwait(false);
            Fail(venue, $"venue {venue.Name}: plugin {venue.Plugin?.Path} failed to start: {ex.Message}");
        }
    }

    private async Task StopVenueAsync(VenueRuntime venue)
    {
        try
        {
            if (venue.Connector is not null)
            {
                await venue.Connector.DisposeAsync().ConfigureAwait(false);
            }

            if (venue.Executor is not null)
            {
                await venue.Executor.DisposeAsync().ConfigureAwait(false);
            }

            if (venue.Session is not null)
            {
                await venue.Session.DisposeAsync().ConfigureAwait(false); // what the parts shared (a connection, keys) goes last
            }
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "venue {Venue}: error while stopping", venue.Name);
        }
        finally
        {
            venue.Connector = null;
            venue.Executor = null;
            venue.Session = null;
        }
    }

    private void Fail(VenueRuntime venue, string message)
    {
        venue.Failure = message;
        StartupErrors.Add(message);
        _logger.LogError("{Message}; the engine goes on without this venue", message);
    }
}
