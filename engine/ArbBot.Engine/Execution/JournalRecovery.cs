using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Engine.Execution.Journal;
using ArbBot.Engine.Orders;
using Microsoft.Extensions.Logging;

namespace ArbBot.Engine.Execution;

/// <summary>
/// At start, before the kernel runs: takes up what the journal knows of earlier runs. Ids in use
/// stay reserved, positions are rebuilt from fills and settlements (in venue time order), orders
/// left working are followed again or closed, open legged episodes are resumed.
/// </summary>
/// <remarks>
/// Fills made inside a venue plugin's own simulator are not carried over: that simulated world
/// ended with the last run and its markets start afresh (their ids still are never reused).
/// Orders left working on a reconciled venue (live, with an account to read back) are kept working
/// until that venue's first reconciliation says what became of them: adopted if it still rests
/// them, ended with their missed fills if not. Elsewhere their fate cannot be learnt and they are
/// closed in the journal.
/// </remarks>
public sealed class JournalRecovery(ExecutionEngine execution, Inventory inventory, IExecutionJournal journal, GroupIds ids, ILogger logger, TimeProvider clock)
{
    /// <summary>Takes up the state; <paramref name="markets"/> maps configured (venue, market) to books.</summary>
    public void Restore(FillLogState state, IReadOnlyDictionary<(string Venue, string Market), MarketHandle> markets, IReadOnlySet<string> simulatedVenues, IReadOnlySet<string> reconciledVenues)
    {
        ids.EnsureAbove(state.MaxGroupId);
        execution.Policy.EnsureEpisodeIdsAbove(state.MaxEpisodeId);
        (int skipped, int simulated, Dictionary<string, List<Fill>> fillsByOrder) = RestorePositions(state, markets, simulatedVenues);
        if (skipped > 0)
        {
            logger.LogWarning("fill log: {Count} fills are for markets no longer configured; their positions are not tracked", skipped);
        }

        if (simulated > 0)
        {
            logger.LogInformation("fill log: {Count} fills made in venue simulators ({Venues}) in earlier runs are not carried over: each run's simulated markets start afresh",
                simulated, string.Join(", ", simulatedVenues));
        }

        int kept = RestoreOpenOrders(state, markets, reconciledVenues, fillsByOrder);
        if (kept > 0)
        {
            logger.LogInformation("fill log: {Count} orders left working at the last stop wait for their venue's account to say what became of them (nothing is sent there until it has)", kept);
        }

        journal.CloseAttemptsLeftWorking(NowMs()); // attempts whose orders are all done now say how they ended, not "working" forever
        LeggedPolicy policy = execution.Policy;
        policy.Restore(state.OpenEpisodes, simulatedVenues.Count == 0 ? [] : state.OpenEpisodes.Where(e => policy.EventIsSimulated(e.EventId, simulatedVenues)).Select(e => e.Id).ToHashSet());
        if (state.Fills.Count > 0 || state.OpenOrders.Count > 0)
        {
            logger.LogInformation("fill log: positions rebuilt from {Fills} fills, {Open} orders left working at the last stop, {Episodes} unresolved legged episodes; group ids continue above {Max}",
                state.Fills.Count - skipped - simulated, state.OpenOrders.Count, state.OpenEpisodes.Count, state.MaxGroupId);
        }
    }

    private (int Skipped, int Simulated, Dictionary<string, List<Fill>> FillsByOrder) RestorePositions(FillLogState state,
        IReadOnlyDictionary<(string Venue, string Market), MarketHandle> markets, IReadOnlySet<string> simulatedVenues)
    {
        int skipped = 0;
        int simulated = 0;
        var fillsByOrder = new Dictionary<string, List<Fill>>(StringComparer.Ordinal);
        int nextSettlement = 0;
        foreach (LoggedFill f in state.Fills)
        {
            // A market settled before this fill (by venue time) is settled first, as it was live.
            for (; nextSettlement < state.Settlements.Count && state.Settlements[nextSettlement].VenueMs <= f.VenueMs; nextSettlement++)
            {
                RestoreSettlement(state.Settlements[nextSettlement], markets, simulatedVenues);
            }

            if (simulatedVenues.Contains(f.Venue))
            {
                simulated++;
                continue;
            }

            if (!markets.TryGetValue((f.Venue, f.MarketId), out MarketHandle handle))
            {
                skipped++;
                continue;
            }

            var fill = new Fill(f.ClientOrderId, "", f.TradeId, handle, f.Outcome, f.Side, f.Price, f.Quantity, f.Fee, f.IsMaker, f.VenueMs);
            execution.Fills.Remember(f.Venue, fill); // the venue sending it again after the restart is a repeat
            inventory.OnFill(-1, fill);
            (fillsByOrder.TryGetValue(f.ClientOrderId, out List<Fill>? list) ? list : fillsByOrder[f.ClientOrderId] = new List<Fill>()).Add(fill);
        }

        for (; nextSettlement < state.Settlements.Count; nextSettlement++)
        {
            RestoreSettlement(state.Settlements[nextSettlement], markets, simulatedVenues);
        }

        return (skipped, simulated, fillsByOrder);
    }

    private void RestoreSettlement((string Venue, string MarketId, Outcome Winner, long VenueMs) s, IReadOnlyDictionary<(string Venue, string Market), MarketHandle> markets, IReadOnlySet<string> simulatedVenues)
    {
        if (!simulatedVenues.Contains(s.Venue) && markets.TryGetValue((s.Venue, s.MarketId), out MarketHandle handle))
        {
            inventory.SettleMarket(handle, s.Winner, s.VenueMs);
        }
    }

    private int RestoreOpenOrders(FillLogState state, IReadOnlyDictionary<(string Venue, string Market), MarketHandle> markets, IReadOnlySet<string> reconciledVenues,
        Dictionary<string, List<Fill>> fillsByOrder)
    {
        OrderManager orders = execution.Orders;
        long now = NowMs();
        int kept = 0;
        foreach (LoggedOrder o in state.OpenOrders)
        {
            orders.ReserveId(o.ClientOrderId);
            ExecutionRoute? route = execution.Routes.FirstOrDefault(r => r.Venue == o.Venue);
            if (route is null || !reconciledVenues.Contains(o.Venue) || !markets.TryGetValue((o.Venue, o.MarketId), out MarketHandle market))
            {
                // Its fate cannot be learnt from the venue: close it in the journal; any imbalance it
                // left is visible in the positions and the policy resolves it.
                journal.OrderAbandoned(o.ClientOrderId, "the engine stopped while this order was working; its fills up to then are counted", now);
                continue;
            }

            var request = new OrderRequest(o.ClientOrderId, market, o.MarketId, o.Outcome, o.Side, o.LimitPrice, o.Quantity, o.TimeInForce, o.PostOnly, o.ExpiresAtMs);
            OrderStatus status = o.Status switch { "acked" => OrderStatus.Acked, "partially_filled" => OrderStatus.PartiallyFilled, _ => OrderStatus.New };
            ManagedOrder order = ManagedOrder.FromLog(request, route.VenueIndex, route.Venue, o.GroupId, o.Leg, Enum.TryParse(o.Role, ignoreCase: true, out OrderRole role) ? role : OrderRole.Strategy,
                o.SentMs, clock.GetTimestamp(), status, o.VenueOrderId, fillsByOrder.TryGetValue(o.ClientOrderId, out List<Fill>? fills) ? fills : []);
            if (order.IsDone)
            {
                // Its fills already make it whole (the engine stopped between writing the last fill and the order's state).
                orders.Remember(order);
                journal.OrderChanged(order, now);
                continue;
            }

            orders.Track(order);
            inventory.OnOrderUpdate(route.VenueIndex, new OrderUpdate(o.ClientOrderId, o.VenueOrderId, order.Status, order.Filled, order.Remaining, null, now));
            kept++;
        }

        return kept;
    }

    private long NowMs() => clock.GetUtcNow().ToUnixTimeMilliseconds();
}
