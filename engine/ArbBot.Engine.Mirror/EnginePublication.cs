namespace ArbBot.Engine.Mirror;

/// <summary>
/// What the engine tells other processes about itself once a second besides its books
/// (docs/redis.md, "Engine keys"): scalar heartbeat fields readable with <c>HGETALL</c>, the status
/// JSON for programs (venues, strategies, execution, positions), and the layout (pairs and fee
/// models), which the mirror rewrites only when a different layout is handed over.
/// </summary>
/// <param name="Fields">Heartbeat fields besides the mirror's own, each one plain value.</param>
/// <param name="StatusJson">The status JSON object.</param>
/// <param name="Layout">The pairs and fee models the engine runs with.</param>
public sealed record EnginePublication(IReadOnlyList<KeyValuePair<string, string>> Fields, string StatusJson, EngineLayout Layout);
