using System.CommandLine;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Risk;
using ArbBot.Engine.Storage;
using Microsoft.Data.Sqlite;

namespace ArbBot.Cli.Commands;

/// <summary>
/// <c>arbbot kill</c>: halts new orders in the engine that uses this config's state database (it
/// notices within a fraction of a second), with <c>--flatten</c> also cancelling resting orders and
/// unwinding unhedged exposure. The switch stays engaged across restarts until <c>--clear</c>.
/// </summary>
internal static class KillCommand
{
    public static Command Create()
    {
        var command = new Command("kill", "Halt new orders now (stays engaged across restarts until --clear)");
        Option<FileInfo> config = CommonOptions.Config();
        var flatten = new Option<bool>("--flatten") { Description = "Also cancel resting orders and unwind unhedged exposure" };
        var clear = new Option<bool>("--clear") { Description = "Release the kill switch: new orders are allowed again" };
        var status = new Option<bool>("--status") { Description = "Only show whether the kill switch is engaged" };
        var reason = new Option<string>("--reason") { Description = "Why (kept with the state and shown in alerts)", DefaultValueFactory = _ => "arbbot kill" };
        command.Options.Add(config);
        command.Options.Add(flatten);
        command.Options.Add(clear);
        command.Options.Add(status);
        command.Options.Add(reason);
        command.SetAction(parse => Run(parse.GetValue(config)!, parse.GetValue(flatten), parse.GetValue(clear), parse.GetValue(status), parse.GetValue(reason)!));
        return command;
    }

    private static int Run(FileInfo configFile, bool flatten, bool clear, bool statusOnly, string reason)
    {
        if (flatten && clear)
        {
            Console.Error.WriteLine("--flatten and --clear cannot be used together");
            return ExitCodes.BadConfig;
        }

        if (CommonOptions.LoadOrReport(configFile) is not { } config)
        {
            return ExitCodes.BadConfig;
        }

        string path = config.StateDatabasePath;
        try
        {
            if (statusOnly)
            {
                KillState? state = KillSwitchStore.Read(path);
                Console.Out.WriteLine(state is null ? "kill switch: off" : $"kill switch: {state.Mode} since {DateTimeOffset.FromUnixTimeMilliseconds(state.SetMs):u} by {state.Source}: {state.Reason}");
                return ExitCodes.Ok;
            }

            if (clear)
            {
                bool was = KillSwitchStore.Clear(path);
                Console.Out.WriteLine(was ? $"kill switch cleared ({path}); new orders are allowed again" : $"kill switch was not engaged ({path})");
                return ExitCodes.Ok;
            }

            var engaged = new KillState(flatten, reason, "cli", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            KillSwitchStore.Write(path, engaged);
            Console.Out.WriteLine($"kill switch engaged ({engaged.Mode}) in {path}; a running engine stops sending new orders within a second. Release with `arbbot kill --clear`.");
            return ExitCodes.Ok;
        }
        catch (SqliteException ex)
        {
            Console.Error.WriteLine($"{path}: cannot use the state database: {ex.Message}");
            return ExitCodes.Failed;
        }
    }
}
