using System.Text.Json.Serialization;

namespace ArbBot.Engine.Replay.Report;

// The replay report JSON (docs/recording.md), field by field in the order written. Money, prices
// and sizes are exact decimal strings; counts by name keep the order they were counted in.

/// <summary>The whole report.</summary>
internal sealed record ReplayReportDocument(
    [property: JsonPropertyName("recording")] string Recording,
    [property: JsonPropertyName("records")] long Records,
    [property: JsonPropertyName("kernel_events")] long KernelEvents,
    [property: JsonPropertyName("from_ms")] long FromMs,
    [property: JsonPropertyName("to_ms")] long ToMs,
    [property: JsonPropertyName("warnings")] IReadOnlyList<string> Warnings,
    [property: JsonPropertyName("totals")] TotalsPart Totals,
    [property: JsonPropertyName("strategies")] IReadOnlyList<StrategyPart> Strategies,
    [property: JsonPropertyName("opportunities")] IReadOnlyList<OpportunityPart> Opportunities,
    [property: JsonPropertyName("orders")] IReadOnlyList<OrderPart> Orders,
    [property: JsonPropertyName("fills")] IReadOnlyList<FillPart> Fills,
    [property: JsonPropertyName("legged")] IReadOnlyList<LeggedPart> Legged,
    [property: JsonPropertyName("pnl")] IReadOnlyList<PnlPart> Pnl,
    [property: JsonPropertyName("edge_histogram")] HistogramPart EdgeHistogram);

/// <summary>Totals; the trading figures only when the replay traded (each null otherwise, and left out).</summary>
internal sealed record TotalsPart(
    [property: JsonPropertyName("opportunities")] int Opportunities,
    [property: JsonPropertyName("attempts")] IReadOnlyDictionary<string, long> Attempts)
{
    [JsonPropertyName("orders_sent"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? OrdersSent { get; init; }

    [JsonPropertyName("orders_filled"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? OrdersFilled { get; init; }

    [JsonPropertyName("fills"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Fills { get; init; }

    [JsonPropertyName("legged_episodes"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? LeggedEpisodes { get; init; }

    [JsonPropertyName("legged_loss"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? LeggedLoss { get; init; }

    [JsonPropertyName("realised"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Realised { get; init; }

    [JsonPropertyName("locked_in"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? LockedIn { get; init; }

    [JsonPropertyName("unhedged_at_end"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? UnhedgedAtEnd { get; init; }

    [JsonPropertyName("max_unhedged"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? MaxUnhedged { get; init; }

    [JsonPropertyName("predicted_edge"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PredictedEdge { get; init; }

    [JsonPropertyName("realised_edge"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? RealisedEdge { get; init; }

    [JsonPropertyName("risk_rejections"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, long>? RiskRejections { get; init; }
}

/// <summary>One strategy's figures.</summary>
internal sealed record StrategyPart(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("calls")] long Calls,
    [property: JsonPropertyName("errors")] long Errors,
    [property: JsonPropertyName("opportunities")] long Opportunities,
    [property: JsonPropertyName("intent_groups")] long IntentGroups,
    [property: JsonPropertyName("expected_edge")] string ExpectedEdge,
    [property: JsonPropertyName("opportunity_outcomes")] IReadOnlyDictionary<string, long> OpportunityOutcomes);

/// <summary>One detected opportunity and what became of it.</summary>
internal sealed record OpportunityPart(
    [property: JsonPropertyName("time_ms")] long TimeMs,
    [property: JsonPropertyName("strategy")] string Strategy,
    [property: JsonPropertyName("event")] string Event,
    [property: JsonPropertyName("group")] long Group,
    [property: JsonPropertyName("edge")] string Edge,
    [property: JsonPropertyName("edge_per_contract")] string EdgePerContract,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("outcome")] string Outcome,
    [property: JsonPropertyName("outcome_detail")] string OutcomeDetail,
    [property: JsonPropertyName("legs")] IReadOnlyList<LegPart> Legs);

/// <summary>One leg of an opportunity.</summary>
internal sealed record LegPart(
    [property: JsonPropertyName("venue")] string Venue,
    [property: JsonPropertyName("market")] string Market,
    [property: JsonPropertyName("outcome")] string Outcome,
    [property: JsonPropertyName("side")] string Side,
    [property: JsonPropertyName("price")] string Price,
    [property: JsonPropertyName("size")] string Size);

/// <summary>One order and how it ended.</summary>
internal sealed record OrderPart(
    [property: JsonPropertyName("time_ms")] long TimeMs,
    [property: JsonPropertyName("venue")] string Venue,
    [property: JsonPropertyName("market")] string Market,
    [property: JsonPropertyName("outcome")] string Outcome,
    [property: JsonPropertyName("side")] string Side,
    [property: JsonPropertyName("price")] string Price,
    [property: JsonPropertyName("size")] string Size,
    [property: JsonPropertyName("time_in_force")] string TimeInForce,
    [property: JsonPropertyName("post_only")] bool PostOnly,
    [property: JsonPropertyName("client_order_id")] string ClientOrderId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("filled")] string Filled,
    [property: JsonPropertyName("reason"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason);

/// <summary>One fill.</summary>
internal sealed record FillPart(
    [property: JsonPropertyName("time_ms")] long TimeMs,
    [property: JsonPropertyName("venue")] string Venue,
    [property: JsonPropertyName("market")] string Market,
    [property: JsonPropertyName("outcome")] string Outcome,
    [property: JsonPropertyName("side")] string Side,
    [property: JsonPropertyName("price")] string Price,
    [property: JsonPropertyName("size")] string Size,
    [property: JsonPropertyName("fee")] string Fee,
    [property: JsonPropertyName("maker")] bool Maker,
    [property: JsonPropertyName("client_order_id")] string ClientOrderId);

/// <summary>One legged episode; the end and the loss are left out while it is open.</summary>
internal sealed record LeggedPart(
    [property: JsonPropertyName("event")] string Event,
    [property: JsonPropertyName("started_ms")] long StartedMs,
    [property: JsonPropertyName("ended_ms"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? EndedMs,
    [property: JsonPropertyName("outcome")] string Outcome,
    [property: JsonPropertyName("quantity")] string Quantity,
    [property: JsonPropertyName("cost")] string Cost,
    [property: JsonPropertyName("resolution")] string Resolution,
    [property: JsonPropertyName("loss"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Loss);

/// <summary>P&amp;L at one moment.</summary>
internal sealed record PnlPart(
    [property: JsonPropertyName("time_ms")] long TimeMs,
    [property: JsonPropertyName("realised")] string Realised,
    [property: JsonPropertyName("locked_in")] string LockedIn,
    [property: JsonPropertyName("unhedged")] string Unhedged);

/// <summary>The edge histogram.</summary>
internal sealed record HistogramPart(
    [property: JsonPropertyName("bucket_width")] string BucketWidth,
    [property: JsonPropertyName("buckets")] IReadOnlyList<BucketPart> Buckets);

/// <summary>One bucket: [from, to) and how many opportunities.</summary>
internal sealed record BucketPart(
    [property: JsonPropertyName("from")] string From,
    [property: JsonPropertyName("to")] string To,
    [property: JsonPropertyName("count")] int Count);
