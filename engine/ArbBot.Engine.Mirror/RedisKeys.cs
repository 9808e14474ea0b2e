using ArbBot.Abstractions.Markets;

namespace ArbBot.Engine.Mirror;

/// <summary>
/// The Redis key schema, in one place (documented in docs/redis.md). Bump
/// <see cref="SchemaVersion"/> on any change a reader would notice; it is published in every
/// engine heartbeat.
/// </summary>
public sealed class RedisKeys
{
    /// <summary>Version of this schema.</summary>
    public const int SchemaVersion = 3;

    /// <summary>Creates the schema for a key prefix ("arb").</summary>
    public RedisKeys(string prefix)
    {
        Prefix = prefix;
    }

    /// <summary>The configured prefix.</summary>
    public string Prefix { get; }

    /// <summary>Pub/sub channel: one JSON message per mirrored book change.</summary>
    public string UpdatesChannel => $"{Prefix}:updates";

    /// <summary>Stream of detected opportunities.</summary>
    public string OpportunitiesStream => $"{Prefix}:opps";

    /// <summary>Stream of fills.</summary>
    public string FillsStream => $"{Prefix}:fills";

    /// <summary>Stream of what became of each intent group (sent and how it ended, or rejected and why).</summary>
    public string OutcomesStream => $"{Prefix}:outcomes";

    /// <summary>Stream of alerts (legged pairs, hedges, unwinds, kill switch, breakers).</summary>
    public string AlertsStream => $"{Prefix}:alerts";

    /// <summary>Shared kill switch control key: SET it to halt, flatten or clear (optionally ":reason"); the first engine to see it makes it a global command (<see cref="GlobalKillKey"/>) and deletes it.</summary>
    public string KillKey => $"{Prefix}:kill";

    /// <summary>
    /// Hash of the global kill command every engine obeys: generation, command, by, at (<see cref="GlobalKill"/>).
    /// Its hash tag is the shared key's whole name, so that on a Redis Cluster both are in one slot and one
    /// script can take the shared key and raise the generation atomically.
    /// </summary>
    public string GlobalKillKey => $"{{{KillKey}}}:global";

    /// <summary>Hash of each engine's acknowledgement of the global kill command: engine id -> "generation state time" (same slot as <see cref="KillKey"/>).</summary>
    public string KillAcksKey => $"{{{KillKey}}}:acks";

    /// <summary>One engine's own kill switch control key (same values as <see cref="KillKey"/>); the dashboard writes it for every engine.</summary>
    public string EngineKillKey(string engineId) => $"{Prefix}:kill:{engineId}";

    /// <summary>Set of engine ids that have written a heartbeat.</summary>
    public string EnginesSet => $"{Prefix}:engines";

    /// <summary>Top of book hash of one outcome of one market on one venue.</summary>
    public string Book(string venue, string market, Outcome outcome) => $"{Prefix}:book:{venue}:{market}:{outcome.ToWireName()}";

    /// <summary>Heartbeat hash of one engine: scalar fields only.</summary>
    public string Engine(string engineId) => $"{Prefix}:engine:{engineId}";

    /// <summary>One engine's status JSON (venues, strategies, execution, positions), rewritten every second.</summary>
    public string EngineStatus(string engineId) => $"{Prefix}:engine:{engineId}:status";

    /// <summary>Hash of one engine's pairs: event -> legs ("venue:market" separated by spaces), written on change.</summary>
    public string EnginePairs(string engineId) => $"{Prefix}:engine:{engineId}:pairs";

    /// <summary>Hash of the fee model one engine charges on one venue (model, multiplier, maker_fees, rate), written on change.</summary>
    public string EngineFees(string engineId, string venue) => $"{Prefix}:engine:{engineId}:fees:{venue}";
}
