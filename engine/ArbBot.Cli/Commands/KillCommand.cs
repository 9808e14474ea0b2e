using System.CommandLine;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Mirror;
using ArbBot.Engine.Risk;
using ArbBot.Engine.Storage;
using Microsoft.Data.Sqlite;
using StackExchange.Redis;

namespace ArbBot.Cli.Commands;

/// <summary>
/// <c>arbbot kill</c>: halts new orders in the engine that uses this config's state database (it
/// notices within a fraction of a second), with <c>--flatten</c> also cancelling resting orders and
/// unwinding unhedged exposure. The switch stays engaged across restarts until <c>--clear</c>.
/// With the config's Redis on, the command also goes to every engine sharing that Redis as a
/// global kill command (<see cref="GlobalKill"/>), and the engines' acknowledgements are shown.
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
        var ackTimeout = new Option<string>("--ack-timeout") { Description = "How long to wait for every engine on the config's Redis to acknowledge (e.g. 3s, 1m)", DefaultValueFactory = _ => "3s" };
        command.Options.Add(config);
        command.Options.Add(flatten);
        command.Options.Add(clear);
        command.Options.Add(status);
        command.Options.Add(reason);
        command.Options.Add(ackTimeout);
        command.SetAction((parse, _) => RunAsync(parse.GetValue(config)!, parse.GetValue(flatten), parse.GetValue(clear), parse.GetValue(status), parse.GetValue(reason)!, parse.GetValue(ackTimeout)!));
        return command;
    }

    private static async Task<int> RunAsync(FileInfo configFile, bool flatten, bool clear, bool statusOnly, string reason, string ackTimeoutText)
    {
        if (!DurationText.TryParse(ackTimeoutText, out TimeSpan ackTimeout) || ackTimeout <= TimeSpan.Zero)
        {
            Console.Error.WriteLine($"--ack-timeout must be a positive duration such as 3s or 1m, was \"{ackTimeoutText}\"");
            return ExitCodes.BadConfig;
        }

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
                return config.Redis.Enabled ? await GlobalStatusAsync(config) : ExitCodes.Ok;
            }

            if (clear)
            {
                bool was = KillSwitchStore.Clear(path);
                Console.Out.WriteLine(was ? $"kill switch cleared ({path}); new orders are allowed again" : $"kill switch was not engaged ({path})");
            }
            else
            {
                var engaged = new KillState(flatten, reason, "cli", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                KillSwitchStore.Write(path, engaged);
                Console.Out.WriteLine($"kill switch engaged ({engaged.Mode}) in {path}; a running engine stops sending new orders within a second. Release with `arbbot kill --clear`.");
            }
        }
        catch (SqliteException ex)
        {
            Console.Error.WriteLine($"{path}: cannot use the state database: {ex.Message}");
            if (!config.Redis.Enabled)
            {
                return ExitCodes.Failed;
            }
        }

        string verb = clear ? "clear" : flatten ? "flatten" : "halt";
        return config.Redis.Enabled ? await SendGlobalAsync(config, $"{verb}:{reason}", verb, ackTimeout) : ExitCodes.Ok;
    }

    /// <summary>
    /// Sends the command to every engine on the config's Redis and waits (up to <paramref name="ackTimeout"/>)
    /// for each engine with a heartbeat to acknowledge it; exit 1 if Redis does not answer or an engine does not.
    /// </summary>
    private static async Task<int> SendGlobalAsync(ArbBotConfig config, string command, string verb, TimeSpan ackTimeout)
    {
        using RedisConnection redis = RedisClients.Connect(config.Redis);
        if (await DatabaseAsync(redis, config) is not { } db)
        {
            Console.Error.WriteLine($"redis: no answer at {config.Redis.Connection}: the global kill command was not sent (engines sharing this state database have it all the same)");
            return ExitCodes.Failed;
        }

        var keys = new RedisKeys(config.Redis.KeyPrefix);
        long generation = await GlobalKill.SendAsync(db, keys, command, $"arbbot kill on {Environment.MachineName}");
        Console.Out.WriteLine($"global kill command {generation} ({verb}) sent through {config.Redis.Connection}: every engine on it applies it, engines started later too");
        IReadOnlyList<string> engines = await GlobalKill.LiveEnginesAsync(db, keys);
        IReadOnlyList<KillAck> acks = [];
        DateTime deadline = DateTime.UtcNow + ackTimeout;
        while (true)
        {
            acks = (await GlobalKill.ReadAsync(db, keys)).Acks.Where(a => a.Generation >= generation).ToList();
            if (engines.All(e => acks.Any(a => a.Engine == e)) || DateTime.UtcNow >= deadline)
            {
                break;
            }

            await Task.Delay(100);
        }

        foreach (string engine in engines)
        {
            Console.Out.WriteLine(acks.FirstOrDefault(a => a.Engine == engine) is { } ack
                ? $"  {engine}: kill switch {ack.State} (acknowledged {ack.At})"
                : $"  {engine}: no acknowledgement within {ackTimeout.TotalSeconds:0.#} s");
        }

        return engines.All(e => acks.Any(a => a.Engine == e)) ? ExitCodes.Ok : ExitCodes.Failed;
    }

    /// <summary>The global command and each engine's acknowledgement.</summary>
    private static async Task<int> GlobalStatusAsync(ArbBotConfig config)
    {
        using RedisConnection redis = RedisClients.Connect(config.Redis);
        if (await DatabaseAsync(redis, config) is not { } db)
        {
            Console.Out.WriteLine($"global kill: unknown (no Redis answering at {config.Redis.Connection})");
            return ExitCodes.Ok;
        }

        var keys = new RedisKeys(config.Redis.KeyPrefix);
        GlobalKillStatus status = await GlobalKill.ReadAsync(db, keys);
        IReadOnlyList<string> engines = await GlobalKill.LiveEnginesAsync(db, keys);
        Console.Out.WriteLine(status.Command.Generation == 0
            ? $"global kill: never sent on {config.Redis.Connection}"
            : $"global kill: command {status.Command.Generation} \"{status.Command.Command}\" by {status.Command.By} at {status.Command.At}");
        foreach (string engine in engines.Union(status.Acks.Select(a => a.Engine)).Order(StringComparer.Ordinal))
        {
            KillAck? ack = status.Acks.FirstOrDefault(a => a.Engine == engine);
            string alive = engines.Contains(engine) ? "running" : "no heartbeat";
            Console.Out.WriteLine(ack is null
                ? $"  {engine} ({alive}): has acknowledged no global command"
                : $"  {engine} ({alive}): applied command {ack.Generation}, kill switch {ack.State} at {ack.At}{(ack.Generation < status.Command.Generation ? "  NOT the latest" : "")}");
        }

        return ExitCodes.Ok;
    }

    /// <summary>The config's database once the connection is up (waiting up to 3 s), or null when no Redis answers.</summary>
    private static async Task<IDatabase?> DatabaseAsync(RedisConnection redis, ArbBotConfig config) =>
        await redis.WaitConnectedAsync(TimeSpan.FromSeconds(3)) ? redis.Database(config.Redis.Database) : null;
}
