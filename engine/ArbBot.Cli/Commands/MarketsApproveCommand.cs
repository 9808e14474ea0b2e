using System.CommandLine;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Pairing;

namespace ArbBot.Cli.Commands;

/// <summary>
/// <c>arbbot markets approve</c>: records a review in the pairs file or the groups file (who
/// approved which pairs or groups, and when; for a group, whether the reviewer found it
/// exhaustive). One with mismatches cannot be approved. A running engine picks the change up.
/// </summary>
internal static class MarketsApproveCommand
{
    public static Command Create()
    {
        var command = new Command("approve", "Approve reviewed pairs or outcome groups (only approved ones trade)");
        Option<FileInfo> config = CommonOptions.Config();
        var pairs = new Option<FileInfo?>("--pairs") { Description = "Pairs file (default: the config's pairs_file, else pairs.yaml beside the config)" };
        var groups = new Option<FileInfo?>("--groups") { Description = "Groups file (default: the config's groups_file, else groups.yaml beside the config)" };
        var by = new Option<string>("--by") { Description = "Who reviewed them (recorded in the file)", Required = true };
        var exhaustive = new Option<bool>("--exhaustive") { Description = "Groups only: you checked that exactly one outcome resolves YES whatever happens (a YES basket then pays $1 a set)" };
        var events = new Argument<string[]>("event") { Description = "Event ids of the pairs or groups to approve", Arity = ArgumentArity.OneOrMore };
        command.Options.Add(config);
        command.Options.Add(pairs);
        command.Options.Add(groups);
        command.Options.Add(by);
        command.Options.Add(exhaustive);
        command.Arguments.Add(events);
        command.SetAction(parse => Approve(parse.GetValue(config)!, parse.GetValue(pairs), parse.GetValue(groups), parse.GetValue(by)!, parse.GetValue(exhaustive), parse.GetValue(events)!));
        return command;
    }

    private static int Approve(FileInfo configFile, FileInfo? pairsFile, FileInfo? groupsFile, string by, bool exhaustive, string[] events)
    {
        if (string.IsNullOrWhiteSpace(by))
        {
            Console.Error.WriteLine("--by must name who reviewed them");
            return ExitCodes.Failed;
        }

        if (CommonOptions.LoadOrReport(configFile, readPairsFile: false) is not { } config)
        {
            return ExitCodes.BadConfig;
        }

        string pairsPath = pairsFile?.FullName ?? config.PairsFile ?? Path.Combine(config.BaseDirectory, "pairs.yaml");
        string groupsPath = groupsFile?.FullName ?? config.GroupsFile ?? Path.Combine(config.BaseDirectory, "groups.yaml");
        if (!File.Exists(pairsPath) && !File.Exists(groupsPath))
        {
            Console.Error.WriteLine($"{pairsPath}: no pairs file, and {groupsPath}: no groups file (write them with arbbot markets pair, arbbot markets groups)");
            return ExitCodes.Failed;
        }

        var venues = config.Venues.Select(v => v.Name).ToList();
        string path = pairsPath;
        try
        {
            // Each id is a group's if the groups file has it, else a pair's; nothing is written unless every id is found and approvable.
            IReadOnlyList<ReviewedGroup> loadedGroups = File.Exists(groupsPath) ? GroupsFile.Load(groupsPath, venues) : [];
            string[] groupIds = events.Where(e => loadedGroups.Any(g => g.Group.EventId == e)).ToArray();
            string[] pairIds = events.Except(groupIds, StringComparer.Ordinal).ToArray();
            if (exhaustive && pairIds.Length > 0)
            {
                Console.Error.WriteLine($"--exhaustive is for outcome groups; {string.Join(", ", pairIds)} {(pairIds.Length == 1 ? "is not a group" : "are not groups")} in {groupsPath}; nothing was changed");
                return ExitCodes.Failed;
            }

            IReadOnlyList<ReviewedPair>? approvedPairs = null;
            if (pairIds.Length > 0)
            {
                if (!File.Exists(pairsPath))
                {
                    Console.Error.WriteLine($"{string.Join(", ", pairIds)}: not a group in {groupsPath}, and {pairsPath}: no pairs file; nothing was changed");
                    return ExitCodes.Failed;
                }

                approvedPairs = PairsFile.Approve(PairsFile.Load(pairsPath, venues), pairIds, by.Trim(), DateTimeOffset.UtcNow);
            }

            path = groupsPath;
            IReadOnlyList<ReviewedGroup> approvedGroups = GroupsFile.Approve(loadedGroups, groupIds, by.Trim(), exhaustive, DateTimeOffset.UtcNow);
            if (approvedPairs is not null)
            {
                PairsFile.Save(pairsPath, approvedPairs);
            }

            if (groupIds.Length > 0)
            {
                GroupsFile.Save(groupsPath, approvedGroups);
            }

            foreach (string id in pairIds)
            {
                Console.WriteLine($"approved pair {id} in {pairsPath} (by {by.Trim()})");
            }

            foreach (string id in groupIds)
            {
                Console.WriteLine($"approved group {id}{(exhaustive ? " as exhaustive" : "")} in {groupsPath} (by {by.Trim()})");
            }
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

        return ExitCodes.Ok;
    }
}
