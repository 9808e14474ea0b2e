using System.CommandLine;
using System.Diagnostics;
using ArbBot.Cli.Http;
using ArbBot.Cli.Terminal;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Hosting;
using ArbBot.Engine.Hosting.Observability;
using ArbBot.Engine.Pairing;
using ArbBot.Engine.Storage;
using ArbBot.Engine.Storage.Recording;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using Spectre.Console;

namespace ArbBot.Cli.Commands;

/// <summary><c>arbbot run</c>: start the engine on the configured venues and show a live summary until stopped.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var command = new Command("run", "Run the engine with a configuration (the default arbbot.yaml runs offline on simulated venues)");
        Option<FileInfo> config = CommonOptions.Config();
        var duration = new Option<string?>("--duration", "-d") { Description = "Stop by itself after this long (e.g. 30s, 5m); default: until Ctrl+C" };
        var noWatch = new Option<bool>("--no-watch-plugins") { Description = "Do not reload a plugin when its DLL is replaced" };
        var noWatchStrategies = new Option<bool>("--no-watch-strategies") { Description = "Do not reload a strategy when its .csx file changes" };
        var allowBroken = new Option<bool>("--allow-broken-strategies") { Description = "Run even when a configured strategy cannot start (it starts once its file is fixed); without it such a run exits 2" };
        var http = new Option<string?>("--http") { Description = "Serve GET /health and GET /metrics (Prometheus) on ADDRESS:PORT, e.g. 127.0.0.1:9100" };
        var httpTokenEnv = new Option<string>("--http-token-env") { Description = "Environment variable holding the bearer token --http requires (needed for a non-loopback address)", DefaultValueFactory = _ => "ARBBOT_HTTP_TOKEN" };
        command.Options.Add(config);
        command.Options.Add(duration);
        command.Options.Add(noWatch);
        command.Options.Add(noWatchStrategies);
        command.Options.Add(allowBroken);
        command.Options.Add(http);
        command.Options.Add(httpTokenEnv);
        var record = new Option<FileInfo?>("--record") { Description = "Also record everything the venues send into this file (as `arbbot record --out`)" };
        var strict = new Option<bool>("--strict") { Description = "Exit 2 when a configured venue cannot start, instead of running without it (also engine.strict_venues)" };
        command.Options.Add(record);
        command.Options.Add(strict);
        command.SetAction((parse, cancellationToken) =>
            RunAsync(parse.GetValue(config)!, parse.GetValue(duration), !parse.GetValue(noWatch), !parse.GetValue(noWatchStrategies), parse.GetValue(http), parse.GetValue(httpTokenEnv)!, parse.GetValue(record), parse.GetValue(allowBroken),
                parse.GetValue(strict), cancellationToken));
        return command;
    }

    /// <summary><c>arbbot record</c>: a normal run that also records the session for <c>arbbot replay</c>.</summary>
    public static Command CreateRecord()
    {
        var command = new Command("record", "Run as `arbbot run` does while recording every venue message (with its receive time) into a file that `arbbot replay` replays");
        Option<FileInfo> config = CommonOptions.Config();
        var output = new Option<FileInfo>("--out", "-o") { Description = "The recording to write (native format; docs/recording.md)", Required = true };
        var duration = new Option<string?>("--duration", "-d") { Description = "Stop by itself after this long (e.g. 30s, 5m); default: until Ctrl+C" };
        command.Options.Add(config);
        command.Options.Add(output);
        command.Options.Add(duration);
        command.SetAction((parse, cancellationToken) =>
            RunAsync(parse.GetValue(config)!, parse.GetValue(duration), watchPlugins: false, watchStrategies: false, null, "ARBBOT_HTTP_TOKEN", parse.GetValue(output), allowBrokenStrategies: false, strict: false, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(FileInfo configFile, string? durationText, bool watchPlugins, bool watchStrategies, string? httpAddress, string httpTokenEnv, FileInfo? recordTo, bool allowBrokenStrategies,
        bool strict, CancellationToken cancellationToken)
    {
        Uri? httpUrl = null;
        string? httpToken = null;
        if (httpAddress is not null && OpsServer.Check(httpAddress, httpTokenEnv, out httpUrl, out httpToken) is { } httpProblem)
        {
            Console.Error.WriteLine(httpProblem);
            return ExitCodes.BadConfig;
        }

        if (CommonOptions.ParseDuration(durationText) is not { } parsedDuration)
        {
            return ExitCodes.BadConfig;
        }

        TimeSpan? duration = parsedDuration == TimeSpan.Zero ? null : parsedDuration;
        if (CommonOptions.LoadOrReport(configFile) is not { } config)
        {
            return ExitCodes.BadConfig;
        }

        using ILoggerFactory logging = CommonOptions.Logging();
        ILogger logger = logging.CreateLogger("ArbBot.Run");
        using SessionRecorder? recorder = recordTo is null ? null : new SessionRecorder(recordTo.FullName);
        if (recorder is not null)
        {
            logger.LogInformation("recording the session into {Path}", recorder.Path);
        }

        var options = new RunOptions(watchPlugins, watchStrategies, recorder, allowBrokenStrategies, strict || config.Engine.StrictVenues);

        // Strategies added, removed or re-parameterised in the config take effect while running (with
        // --no-watch-strategies, at the next start); pairs added to or taken out of the pairs file are subscribed and
        // unsubscribed in place (or, where that cannot be done, and for a changed groups file, the engine restarts). All
        // are watched from before the start: an edit made while the venues connect is applied once it runs.
        using QuietFileWatch? configWatch = watchStrategies ? new QuietFileWatch(configFile.FullName, TimeSpan.FromMilliseconds(150)) : null;
        using QuietFileWatch? pairsWatch = config.PairsFile is null ? null : new QuietFileWatch(config.PairsFile, TimeSpan.FromMilliseconds(300));
        using QuietFileWatch? groupsWatch = config.GroupsFile is null ? null : new QuietFileWatch(config.GroupsFile, TimeSpan.FromMilliseconds(300));
        (EngineHost? started, int failure) = await StartEngineAsync(config, options, logging, cancellationToken).ConfigureAwait(false);
        if (started is null)
        {
            return failure;
        }

        EngineHost host = started;
        if (host.Watchdog is { } watchdog)
        {
            // Nothing on the kernel thread can run any more: stop here, non-zero, for the supervisor to restart a halted engine.
            watchdog.Stuck += why =>
            {
                Console.Error.WriteLine($"stopping: {why}; the kill switch is engaged (arbbot kill --status) and resting orders were cancelled");
                NLog.LogManager.Flush(TimeSpan.FromSeconds(5));
                Environment.Exit(ExitCodes.KernelStuck);
            };
        }

        // The engine's meter lives as long as the run (an engine restarted for a pairs change keeps it): /metrics and the OTLP push read it.
        using var metrics = new EngineMetrics(() => host.LatestSummary);
        using MeterProvider? push = MetricsPush.Start(config.Metrics, config.Engine.Id, logger);
        await using OpsServer? ops = httpUrl is null ? null : await OpsServer.StartAsync(httpUrl, httpToken, config.Engine.Id, () => host).ConfigureAwait(false);
        if (ops is not null)
        {
            logger.LogInformation("health and metrics on {Url}/health and {Url}/metrics{Token}", ops.Url, ops.Url, httpToken is null ? "" : " (bearer token required)");
        }

        logger.LogInformation("engine {Id} running {Venues} venues, {Pairs} pairs{Groups}{Until}", config.Engine.Id, host.Venues.Count, host.ActivePairCount,
            config.Groups.Count > 0 ? $", {config.Groups.Count} groups" : "",
            duration is { } d ? $" for {d}" : " until Ctrl+C");

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (duration is { } limit)
        {
            stop.CancelAfter(limit);
        }

        if (pairsWatch is not null)
        {
            logger.LogInformation("watching the pairs file {Path}: approved pairs trade; a change subscribes and unsubscribes just the markets it adds and takes out", config.PairsFile);
        }

        if (groupsWatch is not null)
        {
            logger.LogInformation("watching the groups file {Path}: approved groups trade, and a change restarts the venues with the new set", config.GroupsFile);
        }

        QuietFileWatch[] watches = new[] { pairsWatch, groupsWatch, configWatch }.OfType<QuietFileWatch>().ToArray();
        while (true)
        {
            Task? wake = watches.Length == 0 ? null : Task.WhenAny(watches.Select(w => w.NextChange));
            await ShowLiveSummaryAsync(host, config.Engine.SummaryInterval, wake, stop.Token).ConfigureAwait(false);
            if (stop.IsCancellationRequested)
            {
                break;
            }

            string what = pairsWatch?.NextChange.IsCompleted == true ? "pairs file" : groupsWatch?.NextChange.IsCompleted == true ? "groups file" : "config";
            foreach (QuietFileWatch watch in watches)
            {
                watch.Reset();
            }

            if (ReloadedConfig(configFile, config, what, logger) is not { } changed)
            {
                continue;
            }

            if (!SameMarkets(config, changed) && SameGroups(config, changed))
            {
                // Pairs added or taken out: their markets are subscribed or unsubscribed in place, the other books untouched.
                PairsChange change = await host.ChangePairsAsync(changed, stop.Token).ConfigureAwait(false);
                if (change.InPlace)
                {
                    config = config with { Pairs = changed.Pairs };
                    logger.LogInformation("engine {Id} running {Venues} venues, {Pairs} pairs ({What} applied in place: added [{Added}], removed [{Removed}]; {Subscribed} markets subscribed, {Unsubscribed} unsubscribed)",
                        config.Engine.Id, host.Venues.Count, host.ActivePairCount, what, string.Join(", ", change.Added), string.Join(", ", change.Removed), change.Subscribed, change.Unsubscribed);
                }
                else
                {
                    logger.LogInformation("{What} change needs a restart of the engine: {Why}", what, change.RestartBecause);
                }
            }

            if (!SameMarkets(config, changed))
            {
                // New groups (or pairs that cannot change in place) mean new books, subscriptions, positions per event and strategy
                // inputs: the engine starts again on the new set, after winding down as at a stop (positions carry over in the fill log).
                await host.WindDownAsync(TimeSpan.FromSeconds(15)).ConfigureAwait(false);
                await host.DisposeAsync().ConfigureAwait(false);
                (EngineHost? restarted, failure) = await StartEngineAsync(changed, options, logging, stop.Token).ConfigureAwait(false);
                if (restarted is null)
                {
                    logger.LogError("the engine could not start again with the changed pairs and groups; stopping");
                    return failure;
                }

                host = restarted;
                config = changed;
                logger.LogInformation("engine {Id} running {Venues} venues, {Pairs} pairs{Groups} ({What} reloaded)", config.Engine.Id, host.Venues.Count, host.ActivePairCount,
                    config.Groups.Count > 0 ? $", {config.Groups.Count} groups" : "", what);
                continue;
            }

            if (configWatch is not null)
            {
                foreach (string line in await host.Strategies.ApplyStrategiesAsync(changed.Strategies, configWatch.LastChangeTimestamp).ConfigureAwait(false))
                {
                    logger.LogInformation("{Config}: {Change}", configFile.Name, line);
                }

                config = config with { Strategies = changed.Strategies };
            }
        }

        // Orders in flight finish and legged events get flat before the venues disconnect.
        logger.LogInformation("stopping: no new orders; waiting for working orders and legged events");
        await host.WindDownAsync(TimeSpan.FromSeconds(15)).ConfigureAwait(false);
        EngineSummary final = await host.SummarizeAsync().ConfigureAwait(false);
        await host.DisposeAsync().ConfigureAwait(false);
        Screen.Create().Write(SummaryView.Table(final, host.StartupErrors));
        Console.Out.WriteLine(SummaryView.Line(final));
        if (recorder is not null)
        {
            recorder.Dispose();
            Console.Out.WriteLine($"recorded {recorder.Records:N0} records ({recorder.Bytes / 1024.0 / 1024.0:N1} MiB) into {recorder.Path}; replay it with: arbbot replay {recorder.Path} --config {configFile.FullName} --report replay-report");
        }

        logger.LogInformation("stopped cleanly after {Elapsed}; peak memory {PeakMb} MB", final.Elapsed, System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 >> 20);
        return ExitCodes.Ok;
    }

    /// <summary>
    /// The config read again after it or its pairs file changed, or null when the change is
    /// refused (the error names file and line; the engine goes on as it was). Sections that only
    /// take effect at a start are named when they changed.
    /// </summary>
    private static ArbBotConfig? ReloadedConfig(FileInfo configFile, ArbBotConfig current, string what, ILogger logger)
    {
        ArbBotConfig next;
        try
        {
            next = ConfigLoader.Load(configFile.FullName);
        }
        catch (ConfigException ex)
        {
            logger.LogError("{What} change not taken: {Error}; still running the {Strategies} strategies and {Count} pairs loaded before", what, ex.Message,
                current.Strategies.Count(s => s.Enabled), current.Pairs.Count);
            return null;
        }

        var atStart = new List<string>();
        void Compare(string section, bool same)
        {
            if (!same)
            {
                atStart.Add(section);
            }
        }

        Compare("engine", current.Engine == next.Engine);
        Compare("venues", current.Venues.Select(VenueKey).SequenceEqual(next.Venues.Select(VenueKey)));
        Compare("risk", current.Risk == next.Risk);
        Compare("execution", current.Execution == next.Execution);
        Compare("alerts", current.Alerts == next.Alerts);
        Compare("redis", current.Redis == next.Redis);
        Compare("metrics", current.Metrics == next.Metrics);
        if (atStart.Count > 0)
        {
            logger.LogWarning("config changed in {Sections}: that takes effect at the next start; strategies, pairs and groups changes apply now", string.Join(", ", atStart));
        }

        if (!SameMarkets(current, next))
        {
            List<string> added = next.Pairs.Where(p => !current.Pairs.Any(c => PairKey(c) == PairKey(p))).Select(p => p.EventId)
                .Concat(next.Groups.Where(g => !current.Groups.Any(c => GroupKey(c) == GroupKey(g))).Select(g => $"group {g.EventId}")).ToList();
            List<string> removed = current.Pairs.Where(p => !next.Pairs.Any(n => PairKey(n) == PairKey(p))).Select(p => p.EventId)
                .Concat(current.Groups.Where(g => !next.Groups.Any(n => GroupKey(n) == GroupKey(g))).Select(g => $"group {g.EventId}")).ToList();
            logger.LogInformation("{What} changed: added [{Added}], removed [{Removed}]; now {Count} pairs and {Groups} groups", what,
                string.Join(", ", added), string.Join(", ", removed), next.Pairs.Count, next.Groups.Count);
        }

        return next;
    }

    private static string GroupKey(GroupConfig g) => $"{g.EventId} {g.Exhaustive} {string.Join(" ", g.Outcomes)}";

    private static string PairKey(PairConfig p) => p.EventId + " " + string.Join(" | ", p.Legs.Select(l => $"{l.Venue}:{l.Market}:{l.YesId}:{l.NoId}"));

    /// <summary>Whether two configs have the same outcome groups (in any order).</summary>
    private static bool SameGroups(ArbBotConfig a, ArbBotConfig b) =>
        a.Groups.Select(GroupKey).ToHashSet(StringComparer.Ordinal).SetEquals(b.Groups.Select(GroupKey));

    /// <summary>Whether two configs trade the same pairs and outcome groups (in any order).</summary>
    private static bool SameMarkets(ArbBotConfig a, ArbBotConfig b) =>
        a.Pairs.Select(PairKey).ToHashSet(StringComparer.Ordinal).SetEquals(b.Pairs.Select(PairKey))
        && a.Groups.Select(GroupKey).ToHashSet(StringComparer.Ordinal).SetEquals(b.Groups.Select(GroupKey));

    private static string VenueKey(VenueConfig v) =>
        $"{v.Name}|{v.Plugin}|{v.FeeSpec}|{v.PaperFills}|{v.PaperBalanceUsd}|" + string.Join(";", v.Settings.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}={s.Value}"));

    /// <summary>Creates and starts an engine; on failure prints why and returns null with the exit code.</summary>
    private static async Task<(EngineHost? Host, int ExitCode)> StartEngineAsync(ArbBotConfig config, RunOptions options, ILoggerFactory logging, CancellationToken cancellationToken)
    {
        var host = new EngineHost(config, CommonOptions.Loader(config), logging, new EngineHostOptions
        {
            Recorder = options.Recorder,
            RequireAllStrategies = !options.AllowBrokenStrategies,
            StrategyCompiler = CompileServerCommand.OutOfProcess, // the compiler's code never enters the trading process
            CollectStartupGarbage = true, // start-up's garbage goes before trading starts, not hours later
        });
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ConfigException ex)
        {
            Console.Error.WriteLine(ex.Message);
            await host.DisposeAsync().ConfigureAwait(false);
            return (null, ExitCodes.BadConfig);
        }
        catch (StrategyStartException ex)
        {
            Console.Error.WriteLine(ex.Message + "\n(run with --allow-broken-strategies to start without them; each starts once its file is fixed)");
            await host.DisposeAsync().ConfigureAwait(false);
            return (null, ExitCodes.BadConfig);
        }
        catch (Engine.Storage.FillLogException ex)
        {
            // One line, no stack trace: where the state database is, what is wrong, and which setting names it.
            Console.Error.WriteLine($"{ex.Message} (execution.state_db in {config.SourcePath}); nothing was traded");
            await host.DisposeAsync().ConfigureAwait(false);
            return (null, ExitCodes.BadConfig);
        }

        if (options.Strict && host.Venues.Any(v => v.Failure is not null))
        {
            Console.Error.WriteLine("not every configured venue could start (--strict or engine.strict_venues), so nothing runs:");
            foreach (VenueRuntime venue in host.Venues.Where(v => v.Failure is not null))
            {
                Console.Error.WriteLine($"  {venue.Name}: {venue.Failure}");
            }

            await host.DisposeAsync().ConfigureAwait(false);
            return (null, ExitCodes.BadConfig);
        }

        if (host.Venues.Count > 0 && host.Venues.All(v => v.Failure is not null))
        {
            Console.Error.WriteLine("no venue could start:");
            foreach (string error in host.StartupErrors)
            {
                Console.Error.WriteLine("  " + error);
            }

            await host.DisposeAsync().ConfigureAwait(false);
            return (null, ExitCodes.Failed);
        }

        if (options.WatchPlugins)
        {
            host.WatchPlugins();
        }

        if (options.WatchStrategies)
        {
            host.WatchStrategies();
        }

        return (host, ExitCodes.Ok);
    }

    private sealed record RunOptions(bool WatchPlugins, bool WatchStrategies, SessionRecorder? Recorder, bool AllowBrokenStrategies = false, bool Strict = false);

    /// <summary>Shows the summary until <paramref name="stop"/> or until <paramref name="until"/> completes (the pairs file changed).</summary>
    private static async Task ShowLiveSummaryAsync(EngineHost host, TimeSpan interval, Task? until, CancellationToken stop)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(stop);
        Task watching = until is null ? Task.CompletedTask : CancelWhenDoneAsync(until, either);
        await ShowLiveSummaryAsync(host, interval, either.Token).ConfigureAwait(false);
        await either.CancelAsync().ConfigureAwait(false);
        await watching.ConfigureAwait(false);
    }

    private static async Task CancelWhenDoneAsync(Task until, CancellationTokenSource source)
    {
        try
        {
            await until.WaitAsync(source.Token).ConfigureAwait(false);
            await source.CancelAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // the summary ended first
        }
    }

    private static async Task ShowLiveSummaryAsync(EngineHost host, TimeSpan interval, CancellationToken stop)
    {
        if (Screen.IsInteractive)
        {
            EngineSummary first = await host.SummarizeAsync().ConfigureAwait(false);
            await AnsiConsole.Live(SummaryView.Table(first, host.StartupErrors)).StartAsync(async live =>
            {
                while (await Delay(interval, stop).ConfigureAwait(false))
                {
                    live.UpdateTarget(SummaryView.Table(await host.SummarizeAsync().ConfigureAwait(false), host.StartupErrors));
                }
            }).ConfigureAwait(false);
            return;
        }

        // Not a terminal (CI, a pipe, a log file): one line every few seconds instead of redrawing.
        TimeSpan lineEvery = TimeSpan.FromTicks(Math.Max(interval.Ticks, TimeSpan.FromSeconds(5).Ticks));
        long last = Stopwatch.GetTimestamp();
        while (await Delay(interval, stop).ConfigureAwait(false))
        {
            EngineSummary summary = await host.SummarizeAsync().ConfigureAwait(false);
            if (Stopwatch.GetElapsedTime(last) >= lineEvery)
            {
                last = Stopwatch.GetTimestamp();
                Console.Out.WriteLine(SummaryView.Line(summary));
            }
        }
    }

    private static async Task<bool> Delay(TimeSpan interval, CancellationToken stop)
    {
        try
        {
            await Task.Delay(interval, stop).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
