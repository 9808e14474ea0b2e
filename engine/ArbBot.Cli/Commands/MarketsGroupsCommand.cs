using System.CommandLine;
using ArbBot.Abstractions.Discovery;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Pairing;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace ArbBot.Cli.Commands;

/// <summary>
/// <c>arbbot markets groups</c>: lists one venue's markets and proposes outcome groups from the
/// venue's own event data (events whose markets it says exclude each other), with evidence and
/// flags, into the groups file for review. Reviews already in the file are kept.
/// </summary>
internal static class MarketsGroupsCommand
{
    public static Command Create()
    {
        var command = new Command("groups", "Propose outcome groups (events whose outcomes are separate markets) from a venue's event data and write them to the groups file for review");
        Option<FileInfo> config = CommonOptions.Config();
        var venue = new Option<string>("--venue") { Description = "Venue name from the config", Required = true };
        var eventId = new Option<string?>("--event") { Description = "One event (Kalshi event ticker, Polymarket event slug)" };
        var series = new Option<string?>("--series") { Description = "Series (Kalshi series ticker) or tag (Polymarket)" };
        var limit = new Option<int>("--limit") { Description = "At most this many markets", DefaultValueFactory = _ => 1000 };
        var output = new Option<FileInfo?>("--out", "-o") { Description = "Groups file to write (default: the config's groups_file, else groups.yaml beside the config)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the proposals without writing the file" };
        foreach (Option option in new Option[] { config, venue, eventId, series, limit, output, dryRun })
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, cancellationToken) => GroupsAsync(
            parse.GetValue(config)!,
            parse.GetValue(venue)!,
            new MarketQuery(parse.GetValue(series), parse.GetValue(eventId), "open", null, parse.GetValue(limit)),
            parse.GetValue(output),
            parse.GetValue(dryRun),
            cancellationToken));
        return command;
    }

    private static async Task<int> GroupsAsync(FileInfo configFile, string venue, MarketQuery query, FileInfo? output, bool dryRun, CancellationToken cancellationToken)
    {
        if (CommonOptions.LoadOrReport(configFile, readPairsFile: false) is not { } config)
        {
            return ExitCodes.BadConfig;
        }

        string groupsPath = output?.FullName ?? config.GroupsFile ?? Path.Combine(config.BaseDirectory, "groups.yaml");
        IReadOnlyList<ReviewedGroup> existing = [];
        if (File.Exists(groupsPath))
        {
            try
            {
                existing = GroupsFile.Load(groupsPath, config.Venues.Select(v => v.Name).ToList());
            }
            catch (ConfigException ex)
            {
                Console.Error.WriteLine($"{ex.Message} (fix the groups file first: its reviews are kept when new proposals are merged in)");
                return ExitCodes.BadConfig;
            }
        }

        using ILoggerFactory logging = CommonOptions.Logging();
        IReadOnlyList<ListedMarket> markets;
        try
        {
            markets = await MarketsPairCommand.ListAsync(config, venue, query, logging, cancellationToken).ConfigureAwait(false);
        }
        catch (ConfigException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return ExitCodes.BadConfig;
        }
        catch (MarketsPairCommand.VenueListingException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return ExitCodes.Failed;
        }

        IReadOnlyList<ReviewedGroup> proposed = GroupProposer.Propose(venue, markets);
        IReadOnlyList<ReviewedGroup> merged = GroupsFile.Merge(existing, proposed);
        Print(venue, markets.Count, proposed, merged);
        if (dryRun)
        {
            return ExitCodes.Ok;
        }

        GroupsFile.Save(groupsPath, merged);
        Console.WriteLine($"wrote {merged.Count} groups to {groupsPath} ({merged.Count(g => g.Status == PairStatus.Approved)} approved, {merged.Count(g => g.Status == PairStatus.Proposed)} to review, {merged.Count(g => g.Status == PairStatus.Rejected)} rejected)");
        Console.WriteLine($"review them, then: arbbot markets approve --config {configFile.Name} --by YOUR_NAME [--exhaustive] EVENT...");
        return ExitCodes.Ok;
    }

    private static void Print(string venue, int markets, IReadOnlyList<ReviewedGroup> proposed, IReadOnlyList<ReviewedGroup> merged)
    {
        var table = new Table()
            .Title($"{Markup.Escape(venue)} ({markets} markets): {proposed.Count} groups")
            .AddColumns("event", "status", "outcomes", "flags / mismatches");
        foreach (ReviewedGroup g in merged.Where(m => proposed.Any(x => x.LegsKey == m.LegsKey)))
        {
            string status = g.Status switch
            {
                PairStatus.Approved => g.Group.Exhaustive ? "[green]approved, exhaustive[/]" : "[green]approved[/]",
                PairStatus.Rejected => "[red]rejected[/]",
                _ => "[yellow]proposed[/]",
            };
            string notes = string.Join("\n", g.Mismatches.Select(m => "x " + m).Concat(g.Flags.Select(f => "! " + f)));
            table.AddRow(Markup.Escape(g.Group.EventId), status, Markup.Escape(string.Join("\n", g.Group.Outcomes)), Markup.Escape(notes));
        }

        Terminal.Screen.Create().Write(table);
    }
}
