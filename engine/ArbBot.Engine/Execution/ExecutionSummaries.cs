using ArbBot.Abstractions.FixedPoint;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Execution.Journal;
using ArbBot.Engine.Orders;
using ArbBot.Engine.Risk;

namespace ArbBot.Engine.Execution;

/// <summary>Takes the execution figures the status, the dashboard and the reports show (kernel thread).</summary>
internal static class ExecutionSummaries
{
    public static ExecutionSummary Of(ExecutionStats stats, OrderManager orders, RiskEngine risk, LeggedPolicy policy, IReadOnlyList<ExecutionRoute> routeList,
        ExecutionMode mode, Inventory inventory, IExecutionJournal journal, long now)
    {
        var byResolution = new Dictionary<string, int>(StringComparer.Ordinal);
        Money leggedLoss = Money.Zero;
        foreach (LeggedEpisode episode in policy.Closed)
        {
            byResolution[episode.Resolution!] = byResolution.TryGetValue(episode.Resolution!, out int n) ? n + 1 : 1;
            leggedLoss += episode.Loss ?? Money.Zero;
        }

        var routes = routeList.Select(r => new RouteSummary(r.Venue, r.Kind, r.Sent, r.Errors, r.Breaker.Trips, r.Breaker.IsOpen(now))).ToList();
        return new ExecutionSummary(
            mode == ExecutionMode.Live ? "live" : "paper",
            stats.Attempts,
            new Dictionary<string, long>(stats.AttemptsByStatus),
            orders.OrdersSent,
            orders.OrdersFilled,
            orders.Fills,
            orders.Working.Count,
            new Dictionary<string, long>(risk.Rejections),
            stats.DuplicatesDropped,
            orders.FillsDuringCancel,
            policy.Closed.Count,
            policy.Open.Count(),
            byResolution,
            leggedLoss,
            inventory.Realised,
            inventory.TotalLockedIn(),
            inventory.TotalUnhedgedCost(),
            policy.UnhedgedMarkToMarket(),
            policy.MaxUnhedgedSeen,
            stats.RealisedEdge,
            stats.PredictedEdge,
            journal.Failures,
            risk.Kill.State is { } k ? $"{k.Mode} by {k.Source}: {k.Reason}" : "off",
            routes);
    }
}
