using System.Globalization;
using StackExchange.Redis;

namespace ArbBot.Engine.Mirror;

/// <summary>
/// The kill switch every engine on one Redis obeys (docs/redis.md, docs/execution.md): a hash
/// <c>{{prefix}:kill}:global</c> holding the latest command (halt, flatten or clear, with a reason)
/// and a generation number that each new command raises. Nobody consumes it: every engine polls
/// it and applies each generation it has not applied yet, then acknowledges in
/// <c>{{prefix}:kill}:acks</c> (engine id -> "generation state time"). An engine starting while a
/// halt or flatten stands applies it. The old shared key <c>{prefix}:kill</c> still works: the
/// first engine to see it turns it into a global command, so it too reaches every engine.
/// </summary>
public static class GlobalKill
{
    /// <summary>Raises the generation and records the command, atomically (KEYS: global; ARGV: command, by, time).</summary>
    internal const string SendScript = """
        local generation = redis.call('HINCRBY', KEYS[1], 'generation', 1)
        redis.call('HSET', KEYS[1], 'command', ARGV[1], 'by', ARGV[2], 'at', ARGV[3])
        return generation
        """;

    /// <summary>Takes the shared key and, if it held a command, makes it global (KEYS: shared, global; ARGV: by, time).</summary>
    internal const string PromoteScript = """
        local command = redis.call('GETDEL', KEYS[1])
        if command then
          redis.call('HINCRBY', KEYS[2], 'generation', 1)
          redis.call('HSET', KEYS[2], 'command', command, 'by', ARGV[1], 'at', ARGV[2])
        end
        return command
        """;

    /// <summary>Sends a command (<c>halt</c>, <c>flatten</c> or <c>clear</c>, optionally <c>:reason</c>) to every engine; returns its generation.</summary>
    public static async Task<long> SendAsync(IDatabase db, RedisKeys keys, string command, string by)
    {
        RedisResult generation = await db.ScriptEvaluateAsync(SendScript, [keys.GlobalKillKey], [command, by, Now()]).ConfigureAwait(false);
        return (long)generation;
    }

    /// <summary>The global command now and every engine's acknowledgement.</summary>
    public static async Task<GlobalKillStatus> ReadAsync(IDatabase db, RedisKeys keys)
    {
        HashEntry[] fields = await db.HashGetAllAsync(keys.GlobalKillKey).ConfigureAwait(false);
        HashEntry[] acks = await db.HashGetAllAsync(keys.KillAcksKey).ConfigureAwait(false);
        return new GlobalKillStatus(Parse(fields), acks.Select(a => KillAck.Parse(a.Name!, a.Value!)).OrderBy(a => a.Engine, StringComparer.Ordinal).ToList());
    }

    /// <summary>The engines that should acknowledge: those listed in the engines set whose heartbeat has not expired, in id order.</summary>
    public static async Task<IReadOnlyList<string>> LiveEnginesAsync(IDatabase db, RedisKeys keys)
    {
        var live = new List<string>();
        foreach (RedisValue id in await db.SetMembersAsync(keys.EnginesSet).ConfigureAwait(false))
        {
            if (await db.KeyExistsAsync(keys.Engine(id!)).ConfigureAwait(false))
            {
                live.Add(id!);
            }
        }

        live.Sort(StringComparer.Ordinal);
        return live;
    }

    /// <summary>The command in a global kill hash (all empty, generation 0, when none was ever sent).</summary>
    public static GlobalKillCommand Parse(HashEntry[] fields)
    {
        var map = fields.ToDictionary(f => (string)f.Name!, f => (string?)f.Value ?? "", StringComparer.Ordinal);
        long generation = long.TryParse(map.GetValueOrDefault("generation"), NumberStyles.Integer, CultureInfo.InvariantCulture, out long g) ? g : 0;
        return new GlobalKillCommand(generation, map.GetValueOrDefault("command", ""), map.GetValueOrDefault("by", ""), map.GetValueOrDefault("at", ""));
    }

    /// <summary>Now in ISO 8601 UTC.</summary>
    internal static string Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}

/// <summary>The latest global command.</summary>
/// <param name="Generation">Raised by each command; 0 before the first.</param>
/// <param name="Command">halt, flatten or clear, optionally followed by :reason.</param>
/// <param name="By">Who sent it (a host and tool, or the engine that turned the shared key into it).</param>
/// <param name="At">When, ISO 8601 UTC.</param>
public sealed record GlobalKillCommand(long Generation, string Command, string By, string At);

/// <summary>The global command and the engines' acknowledgements.</summary>
public sealed record GlobalKillStatus(GlobalKillCommand Command, IReadOnlyList<KillAck> Acks);

/// <summary>One engine's acknowledgement: the last generation it applied and the kill switch state it then had.</summary>
public sealed record KillAck(string Engine, long Generation, string State, string At)
{
    /// <summary>Reads an acks hash entry ("generation state time").</summary>
    public static KillAck Parse(string engine, string value)
    {
        string[] parts = value.Split(' ', 3);
        long generation = parts.Length > 0 && long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out long g) ? g : 0;
        return new KillAck(engine, generation, parts.Length > 1 ? parts[1] : "", parts.Length > 2 ? parts[2] : "");
    }

    /// <summary>As the acks hash holds it.</summary>
    public string Format() => $"{Generation.ToString(CultureInfo.InvariantCulture)} {State} {At}";
}
