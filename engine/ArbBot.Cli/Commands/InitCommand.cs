using System.CommandLine;
using ArbBot.Cli.Starter;

namespace ArbBot.Cli.Commands;

/// <summary><c>arbbot init [DIR]</c>: a starter folder (config, strategies, pairs file) that runs offline on the simulated venues.</summary>
internal static class InitCommand
{
    public static Command Create()
    {
        var command = new Command("init", "Write a starter folder: arbbot.yaml (offline, on simulated venues), the shipped strategies and a pairs file to edit");
        var folder = new Argument<DirectoryInfo>("dir") { Description = "Folder to write into (made if missing)", DefaultValueFactory = _ => new DirectoryInfo(".") };
        var force = new Option<bool>("--force") { Description = "Overwrite files that are already there" };
        command.Arguments.Add(folder);
        command.Options.Add(force);
        command.SetAction(parse => Init(parse.GetValue(folder)!, parse.GetValue(force)));
        return command;
    }

    private static int Init(DirectoryInfo folder, bool force)
    {
        (IReadOnlyList<string> written, IReadOnlyList<string> kept) result;
        try
        {
            result = StarterFolder.Write(folder.FullName, force);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"init: {ex.Message}");
            return ExitCodes.Failed;
        }

        foreach (string file in result.written)
        {
            Console.Out.WriteLine($"wrote {Path.Combine(folder.FullName, file)}");
        }

        foreach (string file in result.kept)
        {
            Console.Out.WriteLine($"kept {Path.Combine(folder.FullName, file)} (already there; --force overwrites)");
        }

        Console.Out.WriteLine($"next: cd {folder.FullName} && arbbot run    (simulated venues, offline; Ctrl+C stops it)");
        return ExitCodes.Ok;
    }
}
