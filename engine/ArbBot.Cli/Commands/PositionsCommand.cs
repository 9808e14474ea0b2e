using System.CommandLine;
using ArbBot.Engine.Execution.Journal;
using ArbBot.Engine.Storage;
using Microsoft.Data.Sqlite;

namespace ArbBot.Cli.Commands;

/// <summary>
/// <c>arbbot positions</c>: the positions a live venue reports differently from the fill log
/// (found by reconciliation; each blocks its event), and <c>arbbot positions accept</c>, which
/// takes the venue's figure: the running engine (or the next start) books the difference and
/// lets the event trade again.
/// </summary>
internal static class PositionsCommand
{
    public static Command Create()
    {
        var command = new Command("positions", "Positions a venue reports differently from the fill log; each blocks its event until they agree or you accept the venue's figure");
        Option<FileInfo> config = CommonOptions.Config();
        var db = new Option<FileInfo?>("--db") { Description = "State database to read (default: execution.state_db of the config)" };
        command.Options.Add(config);
        command.Options.Add(db);
        command.SetAction(parse => List(parse.GetValue(config)!, parse.GetValue(db)));

        var accept = new Command("accept", "Take the venue's figure for the differing positions of a venue (one market, or all): the engine books the difference at its next reconciliation");
        var venue = new Option<string>("--venue") { Description = "Venue name, as in the config", Required = true };
        var market = new Option<string?>("--market") { Description = "The venue's market id (default: every differing market of the venue)" };
        Option<FileInfo> acceptConfig = CommonOptions.Config();
        var acceptDb = new Option<FileInfo?>("--db") { Description = "State database (default: execution.state_db of the config)" };
        accept.Options.Add(venue);
        accept.Options.Add(market);
        accept.Options.Add(acceptConfig);
        accept.Options.Add(acceptDb);
        accept.SetAction(parse => Accept(parse.GetValue(acceptConfig)!, parse.GetValue(acceptDb), parse.GetValue(venue)!, parse.GetValue(market)));
        command.Subcommands.Add(accept);
        return command;
    }

    private static int List(FileInfo configFile, FileInfo? db)
    {
        if (StatePath(configFile, db, out int failure) is not { } path)
        {
            return failure;
        }

        IReadOnlyList<PositionMismatch> mismatches;
        try
        {
            mismatches = PositionChecks.Mismatches(path);
        }
        catch (SqliteException ex)
        {
            Console.Error.WriteLine($"{path}: cannot read the positions checks: {ex.Message}");
            return ExitCodes.Failed;
        }

        if (mismatches.Count == 0)
        {
            Console.WriteLine($"every position checked agrees with its venue ({path})");
            return ExitCodes.Ok;
        }

        Console.WriteLine("venue\tmarket\toutcome\tfill log\tvenue\tsince");
        foreach (PositionMismatch m in mismatches)
        {
            Console.WriteLine($"{m.Venue}\t{m.MarketId}\t{m.Outcome.ToString().ToLowerInvariant()}\t{m.Engine}\t{m.AtVenue}\t{DateTimeOffset.FromUnixTimeMilliseconds(m.SinceMs):yyyy-MM-dd HH:mm:ss}Z");
        }

        Console.WriteLine($"{mismatches.Count} positions differ; `arbbot positions accept --venue V [--market M]` takes the venue's figure");
        return ExitCodes.Failed;
    }

    private static int Accept(FileInfo configFile, FileInfo? db, string venue, string? market)
    {
        if (StatePath(configFile, db, out int failure) is not { } path)
        {
            return failure;
        }

        IReadOnlyList<PositionMismatch> accepted;
        try
        {
            accepted = PositionChecks.Accept(path, venue, market, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        }
        catch (SqliteException ex)
        {
            Console.Error.WriteLine($"{path}: cannot record the acceptance: {ex.Message}");
            return ExitCodes.Failed;
        }

        if (accepted.Count == 0)
        {
            Console.Error.WriteLine($"no position of venue {venue}{(market is null ? "" : $" market {market}")} differs from the fill log ({path}); nothing accepted");
            return ExitCodes.Failed;
        }

        foreach (PositionMismatch m in accepted)
        {
            Console.WriteLine($"accepted {m.Venue} {m.MarketId} {m.Outcome.ToString().ToLowerInvariant()}: {m.AtVenue} contracts (the fill log had {m.Engine})");
        }

        Console.WriteLine("the engine books the difference at its next reconciliation (or its next start) and trades the event again once they agree");
        return ExitCodes.Ok;
    }

    private static string? StatePath(FileInfo configFile, FileInfo? db, out int failure)
    {
        failure = ExitCodes.Ok;
        string? path = db?.FullName ?? (CommonOptions.LoadOrReport(configFile) is { } config ? config.StateDatabasePath : null);
        if (path is null)
        {
            failure = ExitCodes.BadConfig;
            return null;
        }

        if (!File.Exists(path))
        {
            Console.Error.WriteLine($"{path}: no state database there (has the engine run in live mode with this config?)");
            failure = ExitCodes.Failed;
            return null;
        }

        return path;
    }
}
