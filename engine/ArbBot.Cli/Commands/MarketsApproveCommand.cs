using System.CommandLine;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Pairing;

namespace ArbBot.Cli.Commands;

/// <summary>
/// <c>arbbot markets approve</c>: records a review in the pairs file (who approved which pairs,
/// and when). A pair with mismatches cannot be approved. A running engine picks the change up.
/// </summary>
internal static class MarketsApproveCommand
{
    public static Command Create()
    {
        var command = new Command("approve", "Approve reviewed pairs in the pairs file (only approved pairs trade)");
        Option<FileInfo> config = CommonOptions.Config();
        var pairs = new Option<FileInfo?>("--pairs") { Description = "Pairs file (default: the config's pairs_file, else pairs.yaml beside the config)" };
        var by = new Option<string>("--by") { Description = "Who reviewed them (recorded in the file)", Required = true };
        var events = new Argument<string[]>("event") { Description = "Event ids of the pairs to approve", Arity = ArgumentArity.OneOrMore };
        command.Options.Add(config);
        command.Options.Add(pairs);
        command.Options.Add(by);
        command.Arguments.Add(events);
        command.SetAction(parse => Approve(parse.GetValue(config)!, parse.GetValue(pairs), parse.GetValue(by)!, parse.GetValue(events)!));
        return command;
    }

    private static int Approve(FileInfo configFile, FileInfo? pairsFile, string by, string[] events)
    {
        if (string.IsNullOrWhiteSpace(by))
        {
            Console.Error.WriteLine("--by must name who reviewed the pairs");
            return ExitCodes.Failed;
        }

        if (CommonOptions.LoadOrReport(configFile, readPairsFile: false) is not { } config)
        {
            return ExitCodes.BadConfig;
        }

        string path = pairsFile?.FullName ?? config.PairsFile ?? Path.Combine(config.BaseDirectory, "pairs.yaml");
        if (!File.Exists(path))
        {
            Console.Error.WriteLine($"{path}: no pairs file (write one with arbbot markets pair)");
            return ExitCodes.Failed;
        }

        try
        {
            IReadOnlyList<ReviewedPair> loaded = PairsFile.Load(path, config.Venues.Select(v => v.Name).ToList());
            IReadOnlyList<ReviewedPair> approved = PairsFile.Approve(loaded, events, by.Trim(), DateTimeOffset.UtcNow);
            PairsFile.Save(path, approved);
        }
        catch (ConfigException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return ExitCodes.BadConfig;
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine($"{path}: {ex.Message}; nothing was changed");
            return ExitCodes.Failed;
        }

        Console.WriteLine($"approved {string.Join(", ", events)} in {path} (by {by.Trim()})");
        return ExitCodes.Ok;
    }
}
