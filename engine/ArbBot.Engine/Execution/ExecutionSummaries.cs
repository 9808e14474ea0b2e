using ArbBot.Abstractions.FixedPoint;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Execution.Journal;
using ArbBot.Engine.Orders;

namespace ArbBot.Engine.Execution;

/// <summary>Takes the execution figures the status, the dashboard and the reports show (kernel thread).</summary>
internal static class ExecutionSummaries
{
    public static ExecutionSummary Of(ExecutionEngine execution, ExecutionMode mode, Inventory inventory, IExecutionJournal journal, long now)
    {
        LeggedPolicy policy = execution.Policy;
        var byResolution = new Dictionary<string, int>(StringComparer.Ordinal);
        Money leggedLoss = Money.Zero;
        foreach (LeggedEpisode episode in policy.Closed)
        {
            byResolution[episode.Resolution!] = byResolution.TryGetValue(episode.Resolution!, out int n) ? n + 1 : 1;
            leggedLoss += episode.Loss ?? Money.Zero;
        }

        OrderManager orders = execution.Orders;
        var routes = execution.Routes.Select(r => new RouteSummary(r.Venue, r.Kind, r.Sent, r.Errors, r.Breaker.Trips, r.Breaker.IsOpen(now))).ToList();
        return new ExecutionSummary(
            mode == ExecutionMode.Live ? "live" : "paper",
            execution.Attempts,
            new Dictionary<string, long>(execution.AttemptsByStatus),
            orders.OrdersSent,
            orders.OrdersFilled,
            orders.Fills,
            orders.Working.Count,
            new Dictionary<string, long>(execution.Risk.Rejections),
            execution.DuplicatesDropped,
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
            execution.RealisedEdge,
            execution.PredictedEdge,
            journal.Failures,
            execution.Risk.Kill.State is { } k ? $"{k.Mode} by {k.Source}: {k.Reason}" : "off",
            routes);
    }
}
