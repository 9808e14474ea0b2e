using System.CommandLine;
using ArbBot.Cli.Dashboard;
using ArbBot.Cli.Http;
using Microsoft.Extensions.Logging;

namespace ArbBot.Cli.Commands;

/// <summary>
/// <c>arbbot dashboard</c>: a web page of what the engines see and decide, read from their Redis
/// mirror (so it works with any number of engines, and without one running in this process).
/// </summary>
internal static class DashboardCommand
{
    public static Command Create()
    {
        var command = new Command("dashboard", "Serve a live web page of every engine's pairs, edges, opportunities, positions, feeds and strategies, with a kill switch");
        Option<FileInfo> config = CommonOptions.Config();
        var http = new Option<string>("--http") { Description = "ADDRESS:PORT to serve on (a non-loopback address needs --http-token-env)", DefaultValueFactory = _ => "127.0.0.1:8088" };
        var httpTokenEnv = new Option<string>("--http-token-env") { Description = "Environment variable holding the token every request must carry off loopback", DefaultValueFactory = _ => "ARBBOT_HTTP_TOKEN" };
        var duration = new Option<string?>("--duration", "-d") { Description = "Stop by itself after this long (e.g. 5m); default: until Ctrl+C" };
        command.Options.Add(config);
        command.Options.Add(http);
        command.Options.Add(httpTokenEnv);
        command.Options.Add(duration);
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(config)!, parse.GetValue(http)!, parse.GetValue(httpTokenEnv)!, parse.GetValue(duration), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(FileInfo configFile, string address, string tokenEnv, string? durationText, CancellationToken cancellationToken)
    {
        if (OpsServer.Check(address, tokenEnv, out Uri? url, out string? token) is { } problem)
        {
            Console.Error.WriteLine(problem);
            return ExitCodes.BadConfig;
        }

        if (CommonOptions.ParseDuration(durationText) is not { } duration)
        {
            return ExitCodes.BadConfig;
        }

        if (CommonOptions.LoadOrReport(configFile, readPairsFile: false) is not { } config)
        {
            return ExitCodes.BadConfig;
        }

        using ILoggerFactory logging = CommonOptions.Logging();
        ILogger logger = logging.CreateLogger("ArbBot.Dashboard");
        using DashboardReader reader = DashboardReader.Connect(config.Redis);
        await using DashboardServer server = await DashboardServer.StartAsync(url!, token, reader, logger).ConfigureAwait(false);
        logger.LogInformation("dashboard on {Url}/ reading Redis at {Redis} (prefix {Prefix}){Token}", server.Url, reader.Address, config.Redis.KeyPrefix,
            token is null ? "" : $" (token required: open {server.Url}/?token=... )");
        Console.Out.WriteLine($"dashboard: {server.Url}/");
        try
        {
            await Task.Delay(duration == TimeSpan.Zero ? Timeout.InfiniteTimeSpan : duration, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C
        }

        return ExitCodes.Ok;
    }
}
