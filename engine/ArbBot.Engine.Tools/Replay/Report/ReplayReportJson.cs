using System.Text.Json;
using ArbBot.Engine.Execution;

namespace ArbBot.Engine.Replay.Report;

/// <summary>
/// The replay's results as JSON for scripts (docs/recording.md): every opportunity with its time,
/// strategy, pair, legs and edge after fees; orders and how they ended; fills; legged episodes; P&amp;L over time; totals per
/// strategy; the edge histogram. Money, prices and sizes are exact decimal strings. Nothing in it
/// depends on the machine or the wall clock, so two replays of one recording write the same bytes.
/// Serialized by System.Text.Json's source generator (<see cref="ReplayReportJsonContext"/>) from
/// the report's shape (<see cref="ReplayReportDocument"/>).
/// </summary>
public static class ReplayReportJson
{
    /// <summary>Writes the report.</summary>
    public static void Write(Stream output, ReplayResult result)
    {
        EdgeHistogram histogram = EdgeHistogram.Of(result.Opportunities);
        var document = new ReplayReportDocument(
            result.Recording,
            result.Records,
            result.KernelEvents,
            result.FromMs,
            result.ToMs,
            result.Warnings,
            Totals(result),
            result.Strategies.Select(s => new StrategyPart(s.Name, s.Version, s.Calls, s.Errors, s.Opportunities, s.Groups, s.ExpectedEdge.ToString(), s.Attempts)).ToList(),
            result.Opportunities.Select(o => new OpportunityPart(o.TimeMs, o.Strategy, o.EventId, o.GroupId, o.Edge.ToString(), o.EdgePerContract.ToString(), o.Reason,
                o.Outcome.Length == 0 ? "not_sent" : o.Outcome, o.OutcomeDetail,
                o.Legs.Select(l => new LegPart(l.Venue, l.Market, l.Outcome, l.Side, l.Price.ToString(), l.Size.ToString())).ToList())).ToList(),
            result.Orders.Select(o => new OrderPart(o.TimeMs, o.Venue, o.Market, o.Outcome, o.Side, o.Price.ToString(), o.Size.ToString(), o.TimeInForce, o.PostOnly,
                o.ClientOrderId, o.Status, o.Filled.ToString(), o.Reason)).ToList(),
            result.Fills.Select(f => new FillPart(f.TimeMs, f.Venue, f.Market, f.Outcome, f.Side, f.Price.ToString(), f.Size.ToString(), f.Fee.ToString(), f.Maker, f.ClientOrderId)).ToList(),
            result.Legged.Select(l => new LeggedPart(l.EventId, l.StartedMs, l.EndedMs, l.Outcome, l.Quantity.ToString(), l.Cost.ToString(), l.Resolution, l.Loss?.ToString())).ToList(),
            result.Pnl.Select(p => new PnlPart(p.TimeMs, p.Realised.ToString(), p.LockedIn.ToString(), p.Unhedged.ToString())).ToList(),
            new HistogramPart(histogram.BucketWidth.ToString(), histogram.Buckets.Select(b => new BucketPart(b.From.ToString(), b.To.ToString(), b.Count)).ToList()));
        JsonSerializer.Serialize(output, document, ReplayReportJsonContext.Default.ReplayReportDocument);
    }

    private static TotalsPart Totals(ReplayResult result)
    {
        var totals = new TotalsPart(result.Opportunities.Count, result.AttemptOutcomes);
        return result.Execution is not ExecutionSummary x ? totals : totals with
        {
            OrdersSent = x.OrdersSent,
            OrdersFilled = x.OrdersFilled,
            Fills = x.Fills,
            LeggedEpisodes = x.LeggedEpisodes + x.LeggedOpen,
            LeggedLoss = x.LeggedLoss.ToString(),
            Realised = x.Realised.ToString(),
            LockedIn = x.LockedIn.ToString(),
            UnhedgedAtEnd = x.UnhedgedExposure.ToString(),
            MaxUnhedged = x.MaxUnhedgedSeen.ToString(),
            PredictedEdge = x.PredictedEdge.ToString(),
            RealisedEdge = x.RealisedEdge.ToString(),
            RiskRejections = new SortedDictionary<string, long>(x.Rejections.ToDictionary(r => r.Key, r => r.Value), StringComparer.Ordinal), // ordinal order, whatever order they were counted in
        };
    }
}
