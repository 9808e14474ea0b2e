using System.Text.Json.Serialization;

namespace ArbBot.Cli.Dashboard;

/// <summary>What the dashboard page and <c>arbbot top</c> show, read from Redis at one moment. Prices and money are exact decimal strings.</summary>
internal sealed record DashboardSnapshot(
    [property: JsonPropertyName("ts")] long TimestampMs,
    [property: JsonPropertyName("redis")] string Redis,
    [property: JsonPropertyName("engines")] IReadOnlyList<EngineView> Engines,
    [property: JsonPropertyName("pairs")] IReadOnlyList<PairView> Pairs,
    [property: JsonPropertyName("opportunities")] IReadOnlyList<OpportunityView> Opportunities,
    [property: JsonPropertyName("alerts")] IReadOnlyList<AlertView> Alerts,
    [property: JsonPropertyName("pnl_history")] IReadOnlyList<PnlPoint> PnlHistory);

/// <summary>One engine's heartbeat and status.</summary>
internal sealed record EngineView(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("alive")] bool Alive,
    [property: JsonPropertyName("heartbeat_age_ms")] long HeartbeatAgeMs,
    [property: JsonPropertyName("book_updates")] long BookUpdates,
    [property: JsonPropertyName("mirror_lag_p50_ms")] string MirrorLagP50Ms,
    [property: JsonPropertyName("mirror_lag_p99_ms")] string MirrorLagP99Ms,
    [property: JsonPropertyName("status")] System.Text.Json.Nodes.JsonNode? Status)
{
    /// <summary>The global kill command this engine applied last ("command 3: halt at ..."), or empty when it has applied none.</summary>
    [JsonPropertyName("kill_ack")]
    public string KillAck { get; init; } = "";

    /// <summary>Pairs owned through leases ("active: 9 of 26, share 9"), or "all" without <c>engine.ownership_lease</c>.</summary>
    [JsonPropertyName("ownership")]
    public string Ownership { get; init; } = "all";
}

/// <summary>One configured pair: both legs' tops, and the edge each way after fees at the top of book.</summary>
internal sealed record PairView(
    [property: JsonPropertyName("engine")] string Engine,
    [property: JsonPropertyName("event")] string Event,
    [property: JsonPropertyName("legs")] IReadOnlyList<LegView> Legs,
    [property: JsonPropertyName("edges")] IReadOnlyList<EdgeView> Edges);

/// <summary>One venue's market of a pair: both outcome books' tops as in Redis.</summary>
internal sealed record LegView(
    [property: JsonPropertyName("venue")] string Venue,
    [property: JsonPropertyName("market")] string Market,
    [property: JsonPropertyName("yes")] TopView? Yes,
    [property: JsonPropertyName("no")] TopView? No);

/// <summary>An outcome book's top, with how old it is and whether it can be trusted.</summary>
internal sealed record TopView(
    [property: JsonPropertyName("bid")] string Bid,
    [property: JsonPropertyName("bid_size")] string BidSize,
    [property: JsonPropertyName("ask")] string Ask,
    [property: JsonPropertyName("ask_size")] string AskSize,
    [property: JsonPropertyName("stale")] bool Stale,
    [property: JsonPropertyName("age_ms")] long AgeMs);

/// <summary>
/// Buying YES on one venue and NO on the other at the best asks, for the size both show: what it
/// costs with both venues' taker fees, and the edge (size x $1 minus that), in total and per contract.
/// </summary>
internal sealed record EdgeView(
    [property: JsonPropertyName("yes_venue")] string YesVenue,
    [property: JsonPropertyName("no_venue")] string NoVenue,
    [property: JsonPropertyName("yes_ask")] string YesAsk,
    [property: JsonPropertyName("no_ask")] string NoAsk,
    [property: JsonPropertyName("size")] string Size,
    [property: JsonPropertyName("fees")] string Fees,
    [property: JsonPropertyName("edge")] string Edge,
    [property: JsonPropertyName("edge_per_contract")] string EdgePerContract,
    [property: JsonPropertyName("positive")] bool Positive);

/// <summary>A detected opportunity and what became of it.</summary>
internal sealed record OpportunityView(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("ts")] long TimestampMs,
    [property: JsonPropertyName("engine")] string Engine,
    [property: JsonPropertyName("strategy")] string Strategy,
    [property: JsonPropertyName("event")] string Event,
    [property: JsonPropertyName("edge")] string Edge,
    [property: JsonPropertyName("size")] string Size,
    [property: JsonPropertyName("outcome")] string Outcome,
    [property: JsonPropertyName("detail")] string Detail);

/// <summary>An alert from the engines.</summary>
internal sealed record AlertView(
    [property: JsonPropertyName("ts")] long TimestampMs,
    [property: JsonPropertyName("level")] string Level,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("event")] string Event,
    [property: JsonPropertyName("message")] string Message);

/// <summary>The engines' P&amp;L (realised + locked in + unhedged marked to the bid) at a moment.</summary>
internal sealed record PnlPoint(
    [property: JsonPropertyName("ts")] long TimestampMs,
    [property: JsonPropertyName("pnl")] string Pnl);
