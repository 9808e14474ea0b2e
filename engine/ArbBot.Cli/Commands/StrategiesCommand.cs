using System.CommandLine;
using ArbBot.Engine.Scripting;

namespace ArbBot.Cli.Commands;

/// <summary><c>arbbot strategies init-editor</c>: sets a folder up so an editor reads strategies as the engine does.</summary>
internal static class StrategiesCommand
{
    public static Command Create()
    {
        var command = new Command("strategies", "Work on strategy scripts");
        var initEditor = new Command(
            "init-editor",
            "Write what VS Code's C# extension (OmniSharp) needs to complete and check .csx strategies: the contract assembly, the engine's implicit usings and #load");
        var folder = new Option<DirectoryInfo>("--dir")
        {
            Description = "The folder you open in the editor",
            DefaultValueFactory = _ => new DirectoryInfo("."),
        };
        initEditor.Options.Add(folder);
        initEditor.SetAction(parse => InitEditor(parse.GetValue(folder)!));
        command.Subcommands.Add(initEditor);
        return command;
    }

    private static int InitEditor(DirectoryInfo folder)
    {
        IReadOnlyList<string> said;
        try
        {
            said = EditorSetup.Write(folder.FullName);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"init-editor: {ex.Message}");
            return ExitCodes.Failed;
        }

        foreach (string line in said)
        {
            Console.Out.WriteLine(line);
        }

        Console.Out.WriteLine("Open the folder in VS Code with the C# extension and reload the window; `arbbot check --watch` still has the last word (the engine's allow-list and budgets).");
        return ExitCodes.Ok;
    }
}
