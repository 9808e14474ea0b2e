using System.Text.Json;
using ArbBot.Abstractions.FixedPoint;

namespace ArbBot.Engine.Replay.Report;

/// <summary>
/// The replay's results as JSON for scripts (docs/recording.md): every opportunity with its time,
/// strategy, pair, legs and edge after fees; orders and how they ended; fills; legged episodes; P&amp;L over time; totals per
/// strategy; the edge histogram. Money, prices and sizes are exact decimal strings. Nothing in it
/// depends on the machine or the wall clock, so two replays of one recording write the same bytes.
/// </summary>
public static class ReplayReportJson
{
    /// <summary>Writes the report.</summary>
    public static void Write(Stream output, ReplayResult result)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("recording", result.Recording);
        json.WriteNumber("records", result.Records);
        json.WriteNumber("kernel_events", result.KernelEvents);
        json.WriteNumber("from_ms", result.FromMs);
        json.WriteNumber("to_ms", result.ToMs);
        json.WriteStartArray("warnings");
        foreach (string warning in result.Warnings)
        {
            json.WriteStringValue(warning);
        }

        json.WriteEndArray();
        WriteTotals(json, result);
        json.WriteStartArray("strategies");
        foreach (ReplayStrategyStats s in result.Strategies)
        {
            json.WriteStartObject();
            json.WriteString("name", s.Name);
            json.WriteString("version", s.Version);
            json.WriteNumber("calls", s.Calls);
            json.WriteNumber("errors", s.Errors);
            json.WriteNumber("opportunities", s.Opportunities);
            json.WriteNumber("intent_groups", s.Groups);
            json.WriteString("expected_edge", s.ExpectedEdge.ToString());
            json.WriteStartObject("opportunity_outcomes");
            foreach ((string outcome, long count) in s.Attempts)
            {
                json.WriteNumber(outcome, count);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("opportunities");
        foreach (ReplayOpportunity o in result.Opportunities)
        {
            json.WriteStartObject();
            json.WriteNumber("time_ms", o.TimeMs);
            json.WriteString("strategy", o.Strategy);
            json.WriteString("event", o.EventId);
            json.WriteNumber("group", o.GroupId);
            json.WriteString("edge", o.Edge.ToString());
            json.WriteString("edge_per_contract", o.EdgePerContract.ToString());
            json.WriteString("reason", o.Reason);
            json.WriteString("outcome", o.Outcome.Length == 0 ? "not_sent" : o.Outcome);
            json.WriteString("outcome_detail", o.OutcomeDetail);
            json.WriteStartArray("legs");
            foreach (ReplayLeg leg in o.Legs)
            {
                json.WriteStartObject();
                json.WriteString("venue", leg.Venue);
                json.WriteString("market", leg.Market);
                json.WriteString("outcome", leg.Outcome);
                json.WriteString("side", leg.Side);
                json.WriteString("price", leg.Price.ToString());
                json.WriteString("size", leg.Size.ToString());
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("orders");
        foreach (ReplayOrder o in result.Orders)
        {
            json.WriteStartObject();
            json.WriteNumber("time_ms", o.TimeMs);
            json.WriteString("venue", o.Venue);
            json.WriteString("market", o.Market);
            json.WriteString("outcome", o.Outcome);
            json.WriteString("side", o.Side);
            json.WriteString("price", o.Price.ToString());
            json.WriteString("size", o.Size.ToString());
            json.WriteString("time_in_force", o.TimeInForce);
            json.WriteBoolean("post_only", o.PostOnly);
            json.WriteString("client_order_id", o.ClientOrderId);
            json.WriteString("status", o.Status);
            json.WriteString("filled", o.Filled.ToString());
            if (o.Reason is { } reason)
            {
                json.WriteString("reason", reason);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("fills");
        foreach (ReplayFill f in result.Fills)
        {
            json.WriteStartObject();
            json.WriteNumber("time_ms", f.TimeMs);
            json.WriteString("venue", f.Venue);
            json.WriteString("market", f.Market);
            json.WriteString("outcome", f.Outcome);
            json.WriteString("side", f.Side);
            json.WriteString("price", f.Price.ToString());
            json.WriteString("size", f.Size.ToString());
            json.WriteString("fee", f.Fee.ToString());
            json.WriteBoolean("maker", f.Maker);
            json.WriteString("client_order_id", f.ClientOrderId);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("legged");
        foreach (ReplayLegged l in result.Legged)
        {
            json.WriteStartObject();
            json.WriteString("event", l.EventId);
            json.WriteNumber("started_ms", l.StartedMs);
            if (l.EndedMs is { } ended)
            {
                json.WriteNumber("ended_ms", ended);
            }

            json.WriteString("outcome", l.Outcome);
            json.WriteString("quantity", l.Quantity.ToString());
            json.WriteString("cost", l.Cost.ToString());
            json.WriteString("resolution", l.Resolution);
            if (l.Loss is { } loss)
            {
                json.WriteString("loss", loss.ToString());
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("pnl");
        foreach (ReplayPnlPoint p in result.Pnl)
        {
            json.WriteStartObject();
            json.WriteNumber("time_ms", p.TimeMs);
            json.WriteString("realised", p.Realised.ToString());
            json.WriteString("locked_in", p.LockedIn.ToString());
            json.WriteString("unhedged", p.Unhedged.ToString());
            json.WriteEndObject();
        }

        json.WriteEndArray();
        EdgeHistogram histogram = EdgeHistogram.Of(result.Opportunities);
        json.WriteStartObject("edge_histogram");
        json.WriteString("bucket_width", histogram.BucketWidth.ToString());
        json.WriteStartArray("buckets");
        foreach ((Money from, Money to, int count) in histogram.Buckets)
        {
            json.WriteStartObject();
            json.WriteString("from", from.ToString());
            json.WriteString("to", to.ToString());
            json.WriteNumber("count", count);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteTotals(Utf8JsonWriter json, ReplayResult result)
    {
        json.WriteStartObject("totals");
        json.WriteNumber("opportunities", result.Opportunities.Count);
        json.WriteStartObject("attempts");
        foreach ((string outcome, long count) in result.AttemptOutcomes)
        {
            json.WriteNumber(outcome, count);
        }

        json.WriteEndObject();
        if (result.Execution is { } x)
        {
            json.WriteNumber("orders_sent", x.OrdersSent);
            json.WriteNumber("orders_filled", x.OrdersFilled);
            json.WriteNumber("fills", x.Fills);
            json.WriteNumber("legged_episodes", x.LeggedEpisodes + x.LeggedOpen);
            json.WriteString("legged_loss", x.LeggedLoss.ToString());
            json.WriteString("realised", x.Realised.ToString());
            json.WriteString("locked_in", x.LockedIn.ToString());
            json.WriteString("unhedged_at_end", x.UnhedgedExposure.ToString());
            json.WriteString("max_unhedged", x.MaxUnhedgedSeen.ToString());
            json.WriteString("predicted_edge", x.PredictedEdge.ToString());
            json.WriteString("realised_edge", x.RealisedEdge.ToString());
            json.WriteStartObject("risk_rejections");
            foreach ((string reason, long count) in x.Rejections.OrderBy(r => r.Key, StringComparer.Ordinal))
            {
                json.WriteNumber(reason, count);
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
    }
}
