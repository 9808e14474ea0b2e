using System.CommandLine;
using System.Diagnostics;
using ArbBot.Cli.Http;
using ArbBot.Cli.Terminal;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Hosting;
using Microsoft.Extensions.Logging;
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
        var http = new Option<string?>("--http") { Description = "Serve GET /health and GET /metrics (Prometheus) on ADDRESS:PORT, e.g. 127.0.0.1:9100" };
        var httpTokenEnv = new Option<string>("--http-token-env") { Description = "Environment variable holding the bearer token --http requires (needed for a non-loopback address)", DefaultValueFactory = _ => "ARBBOT_HTTP_TOKEN" };
        command.Options.Add(config);
        command.Options.Add(duration);
        command.Options.Add(noWatch);
        command.Options.Add(noWatchStrategies);
        command.Options.Add(http);
        command.Options.Add(httpTokenEnv);
        command.SetAction((parse, cancellationToken) =>
            RunAsync(parse.GetValue(config)!, parse.GetValue(duration), !parse.GetValue(noWatch), !parse.GetValue(noWatchStrategies), parse.GetValue(http), parse.GetValue(httpTokenEnv)!, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(FileInfo configFile, string? durationText, bool watchPlugins, bool watchStrategies, string? httpAddress, string httpTokenEnv, CancellationToken cancellationToken)
    {
        Uri? httpUrl = null;
        string? httpToken = null;
        if (httpAddress is not null && OpsServer.Check(httpAddress, httpTokenEnv, out httpUrl, out httpToken) is { } httpProblem)
        {
            Console.Error.WriteLine(httpProblem);
            return ExitCodes.BadConfig;
        }

        TimeSpan? duration = null;
        if (durationText is not null)
        {
            if (!DurationText.TryParse(durationText, out TimeSpan parsed) || parsed <= TimeSpan.Zero)
            {
                Console.Error.WriteLine($"--duration must be a positive duration such as 30s or 5m, was \"{durationText}\"");
                return ExitCodes.BadConfig;
            }

            duration = parsed;
        }

        if (CommonOptions.LoadOrReport(configFile) is not { } config)
        {
            return ExitCodes.BadConfig;
        }

        using ILoggerFactory logging = CommonOptions.Logging();
        ILogger logger = logging.CreateLogger("ArbBot.Run");
        await using var host = new EngineHost(config, CommonOptions.Loader(config), logging);
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ConfigException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return ExitCodes.BadConfig;
        }

        if (host.Venues.Count > 0 && host.Venues.All(v => v.Failure is not null))
        {
            Console.Error.WriteLine("no venue could start:");
            foreach (string error in host.StartupErrors)
            {
                Console.Error.WriteLine("  " + error);
            }

            return ExitCodes.Failed;
        }

        if (watchPlugins)
        {
            host.WatchPlugins();
        }

        if (watchStrategies)
        {
            host.WatchStrategies();
        }

        await using OpsServer? ops = httpUrl is null ? null : await OpsServer.StartAsync(httpUrl, httpToken, host).ConfigureAwait(false);
        if (ops is not null)
        {
            logger.LogInformation("health and metrics on {Url}/health and {Url}/metrics{Token}", ops.Url, ops.Url, httpToken is null ? "" : " (bearer token required)");
        }

        logger.LogInformation("engine {Id} running {Venues} venues, {Pairs} pairs{Until}", config.Engine.Id, host.Venues.Count, host.Pairs.Count,
            duration is { } d ? $" for {d}" : " until Ctrl+C");

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (duration is { } limit)
        {
            stop.CancelAfter(limit);
        }

        await ShowLiveSummaryAsync(host, config.Engine.SummaryInterval, stop.Token).ConfigureAwait(false);

        // Orders in flight finish and legged events get flat before the venues disconnect.
        logger.LogInformation("stopping: no new orders; waiting for working orders and legged events");
        await host.WindDownAsync(TimeSpan.FromSeconds(15)).ConfigureAwait(false);
        EngineSummary final = await host.SummarizeAsync().ConfigureAwait(false);
        await host.DisposeAsync().ConfigureAwait(false);
        Screen.Create().Write(SummaryView.Table(final, host.StartupErrors));
        Console.Out.WriteLine(SummaryView.Line(final));
        logger.LogInformation("stopped cleanly after {Elapsed}", final.Elapsed);
        return ExitCodes.Ok;
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
