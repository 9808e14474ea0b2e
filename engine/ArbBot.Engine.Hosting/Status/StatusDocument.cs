using System.Text.Json.Serialization;

namespace ArbBot.Engine.Hosting.Status;

// The engine's status JSON (docs/redis.md), field by field in the order written: what the
// dashboard and `arbbot top` read. Money and prices are exact decimal strings; the figures that
// are doubles (latencies, rates, ages) are for display.

/// <summary>The whole status object.</summary>
internal sealed record StatusDocument(
    [property: JsonPropertyName("engine")] string Engine,
    [property: JsonPropertyName("elapsed_s")] double ElapsedSeconds,
    [property: JsonPropertyName("latency_p50_us")] double LatencyP50Us,
    [property: JsonPropertyName("latency_p99_us")] double LatencyP99Us,
    [property: JsonPropertyName("gross_edges_open")] int GrossEdgesOpen,
    [property: JsonPropertyName("mirror")] MirrorPart Mirror,
    [property: JsonPropertyName("venues")] IReadOnlyList<VenuePart> Venues,
    [property: JsonPropertyName("strategies")] IReadOnlyList<StrategyPart> Strategies,
    [property: JsonPropertyName("execution"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ExecutionPart? Execution,
    [property: JsonPropertyName("positions")] IReadOnlyList<PositionPart> Positions);

/// <summary>The Redis mirror.</summary>
internal sealed record MirrorPart(
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("lag_p50_ms")] double LagP50Ms,
    [property: JsonPropertyName("lag_p99_ms")] double LagP99Ms);

/// <summary>One venue; <see cref="LastUpdateAgeMs"/> is null (written as null) before its first update.</summary>
internal sealed record VenuePart(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("plugin")] string Plugin,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("books")] int Books,
    [property: JsonPropertyName("stale")] int Stale,
    [property: JsonPropertyName("updates_per_s")] double UpdatesPerSecond,
    [property: JsonPropertyName("last_update_age_ms")] double? LastUpdateAgeMs,
    [property: JsonPropertyName("reconnects")] long Reconnects,
    [property: JsonPropertyName("deltas")] long Deltas,
    [property: JsonPropertyName("snapshots")] long Snapshots,
    [property: JsonPropertyName("gaps")] long Gaps,
    [property: JsonPropertyName("trades")] long Trades);

/// <summary>One strategy.</summary>
internal sealed record StrategyPart(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("file")] string File,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("calls")] long Calls,
    [property: JsonPropertyName("errors")] long Errors,
    [property: JsonPropertyName("reloads")] int Reloads,
    [property: JsonPropertyName("opportunities")] long Opportunities);

/// <summary>Trading; the counts are by name in ordinal order.</summary>
internal sealed record ExecutionPart(
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("attempts")] long Attempts,
    [property: JsonPropertyName("attempts_by_status")] IReadOnlyDictionary<string, long> AttemptsByStatus,
    [property: JsonPropertyName("orders")] long Orders,
    [property: JsonPropertyName("orders_filled")] long OrdersFilled,
    [property: JsonPropertyName("fills")] long Fills,
    [property: JsonPropertyName("working_orders")] int WorkingOrders,
    [property: JsonPropertyName("rejections")] IReadOnlyDictionary<string, long> Rejections,
    [property: JsonPropertyName("legged_open")] int LeggedOpen,
    [property: JsonPropertyName("legged_ended")] IReadOnlyDictionary<string, long> LeggedEnded,
    [property: JsonPropertyName("legged_cost")] string LeggedCost,
    [property: JsonPropertyName("realised")] string Realised,
    [property: JsonPropertyName("locked_in")] string LockedIn,
    [property: JsonPropertyName("unhedged")] string Unhedged,
    [property: JsonPropertyName("unhedged_mark_to_market")] string UnhedgedMarkToMarket,
    [property: JsonPropertyName("max_unhedged")] string MaxUnhedged,
    [property: JsonPropertyName("pnl")] string Pnl,
    [property: JsonPropertyName("kill")] string Kill);

/// <summary>One event's position.</summary>
internal sealed record PositionPart(
    [property: JsonPropertyName("event")] string Event,
    [property: JsonPropertyName("yes")] string Yes,
    [property: JsonPropertyName("no")] string No,
    [property: JsonPropertyName("matched")] string Matched,
    [property: JsonPropertyName("unhedged")] string Unhedged,
    [property: JsonPropertyName("locked_in")] string LockedIn,
    [property: JsonPropertyName("unhedged_cost")] string UnhedgedCost);
