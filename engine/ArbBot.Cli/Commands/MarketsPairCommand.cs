using System.CommandLine;
using ArbBot.Abstractions.Discovery;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Discovery;
using ArbBot.Engine.Pairing;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace ArbBot.Cli.Commands;

/// <summary>
/// <c>arbbot markets pair</c>: lists two venues' markets, proposes which are the same contract
/// (with the evidence and every mismatch), and writes them to the pairs file for review. Reviews
/// already in the file are kept.
/// </summary>
internal static class MarketsPairCommand
{
    public static Command Create()
    {
        var command = new Command("pair", "Propose cross-venue pairs with their evidence and write them to the pairs file for review");
        Option<FileInfo> config = CommonOptions.Config();
        var from = new Option<string>("--from") { Description = "Venue name from the config (its markets are matched one to one with --to's)", Required = true };
        var to = new Option<string>("--to") { Description = "The other venue's name from the config", Required = true };
        var sport = new Option<string?>("--sport") { Description = "Only this league of the alias tables (nba, nfl, epl, ...)" };
        var fromSeries = new Option<string?>("--from-series") { Description = "List only this series or tag on --from (Kalshi series ticker, Polymarket tag)" };
        var toSeries = new Option<string?>("--to-series") { Description = "List only this series or tag on --to" };
        var fromEvent = new Option<string?>("--from-event") { Description = "List only this event on --from" };
        var toEvent = new Option<string?>("--to-event") { Description = "List only this event on --to" };
        var limit = new Option<int>("--limit") { Description = "At most this many markets from each venue", DefaultValueFactory = _ => 1000 };
        var output = new Option<FileInfo?>("--out", "-o") { Description = "Pairs file to write (default: the config's pairs_file, else pairs.yaml beside the config)" };
        var aliases = new Option<FileInfo[]>("--aliases") { Description = "More alias tables (YAML files or folders), after the shipped ones", AllowMultipleArgumentsPerToken = true };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the proposals without writing the file" };
        foreach (Option option in new Option[] { config, from, to, sport, fromSeries, toSeries, fromEvent, toEvent, limit, output, aliases, dryRun })
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, cancellationToken) => PairAsync(
            parse.GetValue(config)!,
            parse.GetValue(from)!,
            parse.GetValue(to)!,
            parse.GetValue(sport),
            new MarketQuery(parse.GetValue(fromSeries), parse.GetValue(fromEvent), "open", null, parse.GetValue(limit)),
            new MarketQuery(parse.GetValue(toSeries), parse.GetValue(toEvent), "open", null, parse.GetValue(limit)),
            parse.GetValue(output),
            parse.GetValue(aliases) ?? [],
            parse.GetValue(dryRun),
            cancellationToken));
        return command;
    }

    private static async Task<int> PairAsync(
        FileInfo configFile, string fromVenue, string toVenue, string? sport, MarketQuery fromQuery, MarketQuery toQuery,
        FileInfo? output, FileInfo[] extraAliases, bool dryRun, CancellationToken cancellationToken)
    {
        if (CommonOptions.LoadOrReport(configFile, readPairsFile: false) is not { } config)
        {
            return ExitCodes.BadConfig;
        }

        if (fromVenue == toVenue)
        {
            Console.Error.WriteLine($"--from and --to are both {fromVenue}: pairing is across two venues");
            return ExitCodes.Failed;
        }

        AliasTable table;
        try
        {
            table = AliasTable.Load(extraAliases.Select(f => f.FullName).Prepend(AliasTable.ShippedDirectory));
        }
        catch (ConfigException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return ExitCodes.BadConfig;
        }

        if (sport is not null && !table.Leagues.ContainsKey(sport))
        {
            Console.Error.WriteLine($"--sport {sport}: no such league in the alias tables (known: {string.Join(", ", table.Leagues.Keys.Order(StringComparer.Ordinal))})");
            return ExitCodes.Failed;
        }

        string pairsPath = output?.FullName ?? config.PairsFile ?? Path.Combine(config.BaseDirectory, "pairs.yaml");
        IReadOnlyList<ReviewedPair> existing = [];
        var venueNames = config.Venues.Select(v => v.Name).ToList();
        if (File.Exists(pairsPath))
        {
            try
            {
                existing = PairsFile.Load(pairsPath, venueNames);
            }
            catch (ConfigException ex)
            {
                Console.Error.WriteLine($"{ex.Message} (fix the pairs file first: its reviews are kept when new proposals are merged in)");
                return ExitCodes.BadConfig;
            }
        }

        using ILoggerFactory logging = CommonOptions.Logging();
        IReadOnlyList<ListedMarket> a;
        IReadOnlyList<ListedMarket> b;
        try
        {
            a = await ListAsync(config, fromVenue, fromQuery, logging, cancellationToken).ConfigureAwait(false);
            b = await ListAsync(config, toVenue, toQuery, logging, cancellationToken).ConfigureAwait(false);
        }
        catch (ConfigException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return ExitCodes.BadConfig;
        }
        catch (VenueListingException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return ExitCodes.Failed;
        }

        if (sport is not null)
        {
            a = a.Where(m => MarketFacts.Read(m, a, table).League?.Id == sport).ToList();
            b = b.Where(m => MarketFacts.Read(m, b, table).League?.Id == sport).ToList();
        }

        IReadOnlyList<ReviewedPair> proposed = new PairMatcher(table, PairingOptions.Default).Propose(fromVenue, a, toVenue, b);
        IReadOnlyList<ReviewedPair> merged = PairsFile.Merge(existing, proposed);
        Print(fromVenue, toVenue, a.Count, b.Count, proposed, merged);
        if (dryRun)
        {
            return ExitCodes.Ok;
        }

        PairsFile.Save(pairsPath, merged);
        int approved = merged.Count(p => p.Status == PairStatus.Approved);
        Console.WriteLine($"wrote {merged.Count} pairs to {pairsPath} ({approved} approved, {merged.Count(p => p.Status == PairStatus.Proposed)} to review, {merged.Count(p => p.Status == PairStatus.Rejected)} rejected)");
        Console.WriteLine($"review them, then: arbbot markets approve --config {configFile.Name} --by YOUR_NAME EVENT...");
        return ExitCodes.Ok;
    }

    internal static async Task<IReadOnlyList<ListedMarket>> ListAsync(ArbBotConfig config, string venue, MarketQuery query, ILoggerFactory logging, CancellationToken cancellationToken)
    {
        try
        {
            await using VenueCatalog catalog = VenueCatalog.Open(config, venue, CommonOptions.Loader(config), logging);
            return await catalog.ListAsync(query, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not ConfigException && (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested))
        {
            throw new VenueListingException($"venue {venue}: listing markets failed: {ex.Message}", ex);
        }
    }

    private static void Print(string fromVenue, string toVenue, int fromCount, int toCount, IReadOnlyList<ReviewedPair> proposed, IReadOnlyList<ReviewedPair> merged)
    {
        var table = new Table()
            .Title($"{Markup.Escape(fromVenue)} ({fromCount} markets) x {Markup.Escape(toVenue)} ({toCount} markets): {proposed.Count} candidates")
            .AddColumns("event", "status", "score", Markup.Escape(fromVenue), Markup.Escape(toVenue), "flags / mismatches");
        foreach (ReviewedPair p in merged.Where(m => proposed.Any(x => x.LegsKey == m.LegsKey)))
        {
            string status = p.Status switch
            {
                PairStatus.Approved => "[green]approved[/]",
                PairStatus.Rejected => "[red]rejected[/]",
                _ => "[yellow]proposed[/]",
            };
            string notes = string.Join("\n", p.Mismatches.Select(m => "x " + m).Concat(p.Flags.Select(f => "! " + f)));
            table.AddRow(
                Markup.Escape(p.Pair.EventId),
                status,
                p.Score?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
                Markup.Escape(Leg(p, fromVenue)),
                Markup.Escape(Leg(p, toVenue)),
                Markup.Escape(notes));
        }

        Terminal.Screen.Create().Write(table);
    }

    private static string Leg(ReviewedPair pair, string venue) =>
        pair.Pair.Legs.FirstOrDefault(l => l.Venue == venue) is { } leg ? (leg.YesId is null ? leg.Market : $"{Short(leg.Market)} yes {Short(leg.YesId)}") : "";

    /// <summary>Condition and token ids run to 66 and 77 characters: the table shows their ends (the file has them whole).</summary>
    private static string Short(string id) => id.Length <= 16 ? id : $"{id[..8]}..{id[^6..]}";

    internal sealed class VenueListingException(string message, Exception inner) : Exception(message, inner);
}
