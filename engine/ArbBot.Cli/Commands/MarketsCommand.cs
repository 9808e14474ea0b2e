using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ArbBot.Abstractions.Discovery;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Discovery;
using ArbBot.Engine.Plugins;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace ArbBot.Cli.Commands;

/// <summary><c>arbbot markets list</c>: a configured venue's markets, from its plugin's REST listing (pair and approve are beside it).</summary>
internal static class MarketsCommand
{
    public static Command Create()
    {
        var command = new Command("markets", "Discover venues' markets, pair them across venues, propose outcome groups, approve pairs and groups");
        var list = new Command("list", "List a venue's markets: ids, titles, what YES and NO mean, close time, tick size, volume, fees");
        Option<FileInfo> config = CommonOptions.Config();
        var venue = new Option<string>("--venue") { Description = "Venue name from the config", Required = true };
        var series = new Option<string?>("--series") { Description = "Series (Kalshi series ticker) or tag (Polymarket)" };
        var eventId = new Option<string?>("--event") { Description = "One event (Kalshi event ticker, Polymarket event slug)" };
        var status = new Option<string>("--status") { Description = "open, closed, settled or any", DefaultValueFactory = _ => "open" };
        var text = new Option<string?>("--query") { Description = "Text that must appear in the title (case-insensitive)" };
        var limit = new Option<int>("--limit") { Description = "At most this many markets", DefaultValueFactory = _ => 100 };
        var json = new Option<bool>("--json") { Description = "Print JSON (one array) instead of a table" };
        foreach (Option option in new Option[] { config, venue, series, eventId, status, text, limit, json })
        {
            list.Options.Add(option);
        }

        list.SetAction((parse, cancellationToken) => ListAsync(
            parse.GetValue(config)!,
            parse.GetValue(venue)!,
            new MarketQuery(parse.GetValue(series), parse.GetValue(eventId), parse.GetValue(status), parse.GetValue(text), parse.GetValue(limit)),
            parse.GetValue(json),
            cancellationToken));
        command.Subcommands.Add(list);
        command.Subcommands.Add(MarketsPairCommand.Create());
        command.Subcommands.Add(MarketsGroupsCommand.Create());
        command.Subcommands.Add(MarketsApproveCommand.Create());
        return command;
    }

    private static async Task<int> ListAsync(FileInfo configFile, string venueName, MarketQuery query, bool json, CancellationToken cancellationToken)
    {
        if (CommonOptions.LoadOrReport(configFile) is not { } config)
        {
            return ExitCodes.BadConfig;
        }

        if (query.Limit <= 0)
        {
            Console.Error.WriteLine($"--limit must be positive, was {query.Limit}");
            return ExitCodes.Failed;
        }

        using ILoggerFactory logging = CommonOptions.Logging();
        IReadOnlyList<ListedMarket> markets;
        try
        {
            await using VenueCatalog catalog = VenueCatalog.Open(config, venueName, CommonOptions.Loader(config), logging);
            markets = await catalog.ListAsync(query, cancellationToken).ConfigureAwait(false);
        }
        catch (ConfigException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return ExitCodes.BadConfig;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Console.Error.WriteLine($"venue {venueName}: listing markets failed: {ex.Message}");
            return ExitCodes.Failed;
        }

        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(markets.Select(m => new
            {
                market = m.MarketId,
                @event = m.EventId,
                title = m.Title,
                yes = m.YesLabel,
                no = m.NoLabel,
                status = m.Status,
                close_time = m.CloseTime?.ToString("O", CultureInfo.InvariantCulture),
                tick_size = m.TickSize.ToString(),
                volume = m.Volume?.ToString(),
                fees = m.Fees,
                rules = m.Rules,
                yes_id = m.YesId,
                no_id = m.NoId,
                event_time = m.EventTime?.ToString("O", CultureInfo.InvariantCulture),
                event_title = m.EventTitle,
                market_type = m.MarketType,
                line = m.Line,
                minimum_size = m.MinimumSize?.ToString(),
                neg_risk = m.NegRisk,
            })));
            return ExitCodes.Ok;
        }

        var table = new Table().Title($"{Markup.Escape(venueName)}: {markets.Count} markets").AddColumns("market", "event", "title", "yes / no", "status", "closes (UTC)", "tick", "volume", "fees");
        foreach (ListedMarket m in markets)
        {
            table.AddRow(
                Markup.Escape(m.MarketId),
                Markup.Escape(m.EventId),
                Markup.Escape(m.Title),
                Markup.Escape($"{m.YesLabel} / {m.NoLabel}"),
                Markup.Escape(m.Status),
                m.CloseTime?.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "",
                m.TickSize.ToString(),
                m.Volume?.ToString() ?? "",
                Markup.Escape(m.Fees));
        }

        Terminal.Screen.Create().Write(table);
        return ExitCodes.Ok;
    }
}
