using System.Diagnostics;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Abstractions.Strategies;
using ArbBot.Engine.Books;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Execution.Alerts;
using ArbBot.Engine.Execution.Journal;
using ArbBot.Engine.Execution.Risk;
using ArbBot.Engine.Kernel;
using ArbBot.Engine.Orders;
using ArbBot.Engine.Strategies;
using Microsoft.Extensions.Logging;

namespace ArbBot.Engine.Execution;

/// <summary>
/// Turns intent groups into orders, on the kernel thread. Every group passes the risk checks
/// first; a group whose legs (and, for resting orders, price) match one still working is a
/// duplicate and is dropped and counted. Legs go out together. Acks and fills drive each order's
/// state machine; when a leg of a group finishes, the group's resting legs are cancelled; when
/// every leg is done the attempt is judged (filled, partially filled, legged, unfilled) and its
/// realised edge recorded. Unequal fills are left to the <see cref="LeggedPolicy"/>, which
/// watches every event's balance. Everything is written to the fill log as it happens.
/// </summary>
public sealed class OrderManager : IKernelListener
{
    /// <summary>Strategy name used for the engine's own orders (hedges, unwinds).</summary>
    public const string EngineStrategy = "engine";

    /// <summary>How long after a good-till-date order's expiry the engine cancels it itself if the venue has not ended it.</summary>
    public const long ExpiryGraceMs = 5_000;

    private readonly ArbBotConfig _config;
    private readonly EngineKernel _kernel;
    private readonly Inventory _inventory;
    private readonly IReadOnlyList<ExecutionRoute> _routes;
    private readonly RiskManager _risk;
    private readonly FillLog _log;
    private readonly AlertSink _alerts;
    private readonly KillSwitch _kill;
    private readonly GroupIds _ids;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly Dictionary<long, long> _lastRejectionReported = new(); // dedup key -> Unix ms of the last rejection reported
    private readonly Dictionary<string, ManagedOrder> _orders = new(StringComparer.Ordinal);
    private readonly HashSet<string> _usedClientIds = new(StringComparer.Ordinal);
    private readonly HashSet<string> _seenTrades = new(StringComparer.Ordinal);
    private readonly Dictionary<long, Attempt> _working = new();
    private readonly Dictionary<long, Attempt> _liveByKey = new();
    private readonly List<(IntentGroup Group, bool ReducesRisk)> _pending = new();
    private readonly List<ManagedOrder> _workingOrders = new();
    private readonly int[] _immediateWorking;
    private readonly long _restingTimeoutTicks;
    private readonly Dictionary<string, long> _attemptsByStatus = new(StringComparer.Ordinal);
    private long _lastRejectLogMinute = -1;
    private int _rejectLogsThisMinute;
    private readonly HashSet<string> _reasonsLoggedThisMinute = new(StringComparer.Ordinal);
    private int _lossesInRow;
    private long _flattenedFor;
    private bool _windingDown;

    /// <summary>Creates the manager.</summary>
    public OrderManager(
        ArbBotConfig config,
        EngineKernel kernel,
        Inventory inventory,
        IReadOnlyList<ExecutionRoute> routes,
        RiskManager risk,
        FillLog log,
        AlertSink alerts,
        KillSwitch kill,
        GroupIds ids,
        ILogger logger,
        TimeProvider clock)
    {
        _config = config;
        _kernel = kernel;
        _inventory = inventory;
        _routes = routes;
        _risk = risk;
        _log = log;
        _alerts = alerts;
        _kill = kill;
        _ids = ids;
        _logger = logger;
        _clock = clock;
        _immediateWorking = new int[inventory.EventCount];
        _restingTimeoutTicks = (long)(config.Execution.RestingTimeout.TotalSeconds * Stopwatch.Frequency);
        Policy = new LeggedPolicy(this, config, kernel.Books, inventory, alerts, log, kill, clock);
    }

    /// <summary>The legged policy.</summary>
    public LeggedPolicy Policy { get; }

    /// <summary>The risk checks.</summary>
    public RiskManager Risk => _risk;

    /// <summary>Routes by venue index.</summary>
    public IReadOnlyList<ExecutionRoute> Routes => _routes;

    /// <summary>Attempts started (groups that passed risk).</summary>
    public long Attempts { get; private set; }

    /// <summary>
    /// Raised on the kernel thread when an attempt ends or a group is rejected by risk (a group
    /// re-emitted with the same legs is reported once a second at most).
    /// </summary>
    public event Action<AttemptOutcome>? AttemptEnded;

    /// <summary>
    /// Raised on the kernel thread for every strategy group: accepted (orders sent), refused (and
    /// why), and ended (every order done). Unlike <see cref="AttemptEnded"/>, never deduplicated.
    /// </summary>
    public event Action<IntentGroupUpdate>? GroupUpdated;

    /// <summary>Raised on the kernel thread for each order sent to a venue's executor, with its send time (Unix ms).</summary>
    public event Action<OrderRequest, long>? OrderSent;

    /// <summary>Finished attempts by status name.</summary>
    public IReadOnlyDictionary<string, long> AttemptsByStatus => _attemptsByStatus;

    /// <summary>Orders sent (strategy legs, hedges, unwinds).</summary>
    public long OrdersSent { get; private set; }

    /// <summary>Orders whose whole quantity filled.</summary>
    public long OrdersFilled { get; private set; }

    /// <summary>Fills received for our orders (duplicates excluded).</summary>
    public long Fills { get; private set; }

    /// <summary>Repeated signals dropped while the same attempt was working.</summary>
    public long DuplicatesDropped { get; private set; }

    /// <summary>Fills that arrived while a cancel of their order was on its way.</summary>
    public long FillsDuringCancel { get; private set; }

    /// <summary>Sum of the realised edge of finished attempts that had one.</summary>
    public Money RealisedEdge { get; private set; }

    /// <summary>Sum of the expected edge of those same attempts (to compare with <see cref="RealisedEdge"/>).</summary>
    public Money PredictedEdge { get; private set; }

    /// <summary>Orders still working.</summary>
    public int WorkingOrders => _workingOrders.Count;

    /// <summary>Looks up an order this run sent (kernel thread).</summary>
    public ManagedOrder? Order(string clientOrderId) => _orders.TryGetValue(clientOrderId, out ManagedOrder? o) ? o : null;

    /// <summary>The figures now (kernel thread).</summary>
    public ExecutionSummary Summarize()
    {
        long now = _clock.GetTimestamp();
        var byResolution = new Dictionary<string, int>(StringComparer.Ordinal);
        Money leggedLoss = Money.Zero;
        foreach (LeggedEpisode episode in Policy.Closed)
        {
            byResolution[episode.Resolution!] = byResolution.TryGetValue(episode.Resolution!, out int n) ? n + 1 : 1;
            leggedLoss += episode.Loss ?? Money.Zero;
        }

        var routes = _routes.Select(r => new RouteSummary(r.Venue, r.Kind, r.Sent, r.Errors, r.Breaker.Trips, r.Breaker.IsOpen(now))).ToList();
        return new ExecutionSummary(
            _config.Execution.Mode == ExecutionMode.Live ? "live" : "paper",
            Attempts,
            new Dictionary<string, long>(_attemptsByStatus),
            OrdersSent,
            OrdersFilled,
            Fills,
            _workingOrders.Count,
            new Dictionary<string, long>(_risk.Rejections),
            DuplicatesDropped,
            FillsDuringCancel,
            Policy.Closed.Count,
            Policy.Open.Count(),
            byResolution,
            leggedLoss,
            _inventory.Realised,
            _inventory.TotalLockedIn(),
            _inventory.TotalUnhedgedCost(),
            Policy.UnhedgedMarkToMarket(),
            Policy.MaxUnhedgedSeen,
            RealisedEdge,
            PredictedEdge,
            _log.Failures,
            _kill.State is { } k ? $"{k.Mode} by {k.Source}: {k.Reason}" : "off",
            routes);
    }

    /// <summary>Loads what the fill log knows: ids in use, positions from fills, orders left working, open episodes.</summary>
    /// <remarks>
    /// Fills made inside a venue plugin's own simulator are not carried over: that simulated world
    /// ended with the last run and its markets start afresh (their ids still are never reused).
    /// Orders left working on a venue in <paramref name="reconciledVenues"/> (live, with an account
    /// to read back) are kept working until that venue's first reconciliation says what became of
    /// them: adopted if it still rests them, ended with their missed fills if not. Elsewhere their
    /// fate cannot be learnt and they are closed in the log.
    /// </remarks>
    public void Restore(FillLogState state, IReadOnlyDictionary<(string Venue, string Market), MarketHandle> markets, IReadOnlySet<string> simulatedVenues, IReadOnlySet<string> reconciledVenues)
    {
        _ids.EnsureAbove(state.MaxGroupId);
        Policy.EnsureEpisodeIdsAbove(state.MaxEpisodeId);
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

            _seenTrades.Add(f.Venue + "\n" + f.TradeId);
            var fill = new Fill(f.ClientOrderId, "", f.TradeId, handle, f.Outcome, f.Side, f.Price, f.Quantity, f.Fee, f.IsMaker, f.VenueMs);
            _inventory.OnFill(-1, fill);
            (fillsByOrder.TryGetValue(f.ClientOrderId, out List<Fill>? list) ? list : fillsByOrder[f.ClientOrderId] = new List<Fill>()).Add(fill);
        }

        for (; nextSettlement < state.Settlements.Count; nextSettlement++)
        {
            RestoreSettlement(state.Settlements[nextSettlement], markets, simulatedVenues);
        }

        if (skipped > 0)
        {
            _logger.LogWarning("fill log: {Count} fills are for markets no longer configured; their positions are not tracked", skipped);
        }

        if (simulated > 0)
        {
            _logger.LogInformation("fill log: {Count} fills made in venue simulators ({Venues}) in earlier runs are not carried over: each run's simulated markets start afresh",
                simulated, string.Join(", ", simulatedVenues));
        }

        long now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        int kept = 0;
        foreach (LoggedOrder o in state.OpenOrders)
        {
            _usedClientIds.Add(o.ClientOrderId);
            ExecutionRoute? route = _routes.FirstOrDefault(r => r.Venue == o.Venue);
            if (route is null || !reconciledVenues.Contains(o.Venue) || !markets.TryGetValue((o.Venue, o.MarketId), out MarketHandle market))
            {
                // Its fate cannot be learnt from the venue: close it in the log; any imbalance it left
                // is visible in the positions and the policy resolves it.
                _log.OrderAbandoned(o.ClientOrderId, "the engine stopped while this order was working; its fills up to then are counted", now);
                continue;
            }

            var request = new OrderRequest(o.ClientOrderId, market, o.MarketId, o.Outcome, o.Side, o.LimitPrice, o.Quantity, o.TimeInForce, o.PostOnly, o.ExpiresAtMs);
            OrderStatus status = o.Status switch { "acked" => OrderStatus.Acked, "partially_filled" => OrderStatus.PartiallyFilled, _ => OrderStatus.New };
            ManagedOrder order = ManagedOrder.FromLog(request, route.VenueIndex, route.Venue, o.GroupId, o.Leg, Enum.TryParse(o.Role, ignoreCase: true, out OrderRole role) ? role : OrderRole.Strategy,
                o.SentMs, _clock.GetTimestamp(), status, o.VenueOrderId, fillsByOrder.TryGetValue(o.ClientOrderId, out List<Fill>? fills) ? fills : []);
            if (order.IsDone)
            {
                // Its fills already make it whole (the engine stopped between writing the last fill and the order's state).
                _orders[o.ClientOrderId] = order;
                _log.OrderChanged(order, now);
                continue;
            }

            Track(order);
            _inventory.OnOrderUpdate(route.VenueIndex, new OrderUpdate(o.ClientOrderId, o.VenueOrderId, order.Status, order.Filled, order.Remaining, null, now));
            kept++;
        }

        if (kept > 0)
        {
            _logger.LogInformation("fill log: {Count} orders left working at the last stop wait for their venue's account to say what became of them (nothing is sent there until it has)", kept);
        }

        _log.CloseAttemptsLeftWorking(now); // attempts whose orders are all done now say how they ended, not "working" forever

        Policy.Restore(state.OpenEpisodes, simulatedVenues.Count == 0 ? [] : state.OpenEpisodes.Where(e => Policy.EventIsSimulated(e.EventId, simulatedVenues)).Select(e => e.Id).ToHashSet());
        if (state.Fills.Count > 0 || state.OpenOrders.Count > 0)
        {
            _logger.LogInformation("fill log: positions rebuilt from {Fills} fills, {Open} orders left working at the last stop, {Episodes} unresolved legged episodes; group ids continue above {Max}",
                state.Fills.Count - skipped - simulated, state.OpenOrders.Count, state.OpenEpisodes.Count, state.MaxGroupId);
        }
    }

    private void RestoreSettlement((string Venue, string MarketId, Outcome Winner, long VenueMs) s, IReadOnlyDictionary<(string Venue, string Market), MarketHandle> markets, IReadOnlySet<string> simulatedVenues)
    {
        if (!simulatedVenues.Contains(s.Venue) && markets.TryGetValue((s.Venue, s.MarketId), out MarketHandle handle))
        {
            _inventory.SettleMarket(handle, s.Winner, s.VenueMs);
        }
    }

    /// <summary>
    /// A market resolved (kernel thread): the engine's positions there are settled at $1 a winning
    /// contract, the profit or loss booked and written to the fill log, working orders there
    /// cancelled (the venue ends them too), and the event's balance looked at again.
    /// </summary>
    public MarketSettlement Settle(MarketBook book, Outcome winner, long venueMs)
    {
        long nowMs = NowMs();
        MarketSettlement settled = _inventory.SettleMarket(book.Handle, winner, venueMs);
        _log.Settled(book.VenueName, book.MarketId, winner, settled, venueMs, nowMs);
        foreach (ManagedOrder order in _workingOrders.ToArray())
        {
            if (order.Request.Market == book.Handle)
            {
                Cancel(order);
            }
        }

        if (!settled.Yes.IsZero || !settled.No.IsZero)
        {
            int eventIndex = _inventory.EventOf(book.Handle);
            _alerts.Raise("info", "settled", eventIndex >= 0 ? EventId(eventIndex) : null,
                $"{book.VenueName} {book.MarketId} resolved {winner.ToWireName()}: {settled.Yes} yes and {settled.No} no settled, paid ${settled.Payout}, realised ${settled.Pnl}", nowMs);
            Policy.Check(eventIndex, _clock.GetTimestamp());
        }

        return settled;
    }

    /// <inheritdoc/>
    public void OnMarketResolved(MarketBook book, MarketResolution resolution) => Settle(book, resolution.Winner, resolution.VenueTimestampMs);

    /// <summary>
    /// Stamps a group built outside a strategy (a tool, a test, a manual order) and checks and sends
    /// it now, on the kernel thread, exactly as a strategy's would be. Returns its id.
    /// </summary>
    public long SubmitNow(IntentGroup group, string source, string eventId, bool reducesRisk = false)
    {
        group.Stamp(_ids.Next(), source, eventId, NowMs());
        Enqueue(group, reducesRisk);
        Drain();
        return group.Id;
    }

    /// <summary>
    /// Stopping: no new strategy orders from now on (hedges and the legged policy still go) and
    /// resting orders are cancelled, so that working orders finish and legged events get flat.
    /// </summary>
    public void BeginWindDown()
    {
        _windingDown = true;
        foreach (ManagedOrder order in _workingOrders.ToArray())
        {
            if (order.Request.TimeInForce.Rests())
            {
                Cancel(order);
            }
        }
    }

    /// <summary>Whether nothing is working and no event is legged (kernel thread).</summary>
    public bool IsQuiet => _workingOrders.Count == 0 && !Policy.Open.Any();

    /// <summary>Takes an emitted group; it is checked and sent after the strategy's call returns.</summary>
    public void Enqueue(IntentGroup group, bool reducesRisk) => _pending.Add((group, reducesRisk));

    /// <inheritdoc/>
    public void OnBookUpdated(MarketBook book) => Drain();

    /// <inheritdoc/>
    public void OnOrderUpdate(int venueIndex, OrderUpdate update)
    {
        if (!_orders.TryGetValue(update.ClientOrderId, out ManagedOrder? order))
        {
            return;
        }

        bool wasDone = order.IsDone;
        if (order.Apply(update))
        {
            long nowMs = NowMs();
            _log.OrderChanged(order, nowMs);
            ExecutionRoute route = _routes[order.VenueIndex];
            if (update.Status == OrderStatus.Rejected)
            {
                OnOrderError(order, route, update.Reason ?? "rejected");
            }
            else if (update.Status is OrderStatus.Acked or OrderStatus.Filled or OrderStatus.PartiallyFilled)
            {
                route.Breaker.RecordSuccess();
            }

            if (!wasDone && order.IsDone)
            {
                OnOrderDone(order);
            }
        }

        Drain();
    }

    /// <inheritdoc/>
    public void OnFill(int venueIndex, Fill fill)
    {
        if (!_orders.TryGetValue(fill.ClientOrderId, out ManagedOrder? order) || !_seenTrades.Add(order.Venue + "\n" + fill.TradeId))
        {
            Drain();
            return;
        }

        bool wasDone = order.IsDone;
        if (order.CancelRequested)
        {
            FillsDuringCancel++; // still counted and hedged: a cancel in flight does not undo a fill
        }

        order.AddFill(fill);
        Fills++;
        long nowMs = NowMs();
        MarketBook book = _kernel.Books[order.Request.Market];
        _log.FillReceived(fill, order.Venue, book.MarketId, order.GroupId, nowMs);
        _log.OrderChanged(order, nowMs);
        _routes[order.VenueIndex].Breaker.RecordSuccess();
        if (!wasDone && order.IsDone)
        {
            OnOrderDone(order);
        }

        Drain();
        Policy.Check(_inventory.EventOf(order.Request.Market), _clock.GetTimestamp());
    }

    /// <inheritdoc/>
    public void OnTimer(long nowTimestamp)
    {
        Drain();
        CancelExpiredRestingOrders(nowTimestamp);
        if (_kill.State is { Flatten: true } kill && kill.SetMs != _flattenedFor)
        {
            _flattenedFor = kill.SetMs;
            Flatten(kill.Reason);
        }

        Policy.CheckAll(nowTimestamp);
        CheckDailyLoss();
        PruneDoneOrders(nowTimestamp);
    }

    /// <summary>Orders still working on a venue, this run's and those restored from the log (kernel thread).</summary>
    internal IEnumerable<ManagedOrder> WorkingOn(int venueIndex) => _workingOrders.Where(o => o.VenueIndex == venueIndex);

    /// <summary>The orders still known of one venue (this run's, and those restored), by the venue's id: built once per reconciliation (kernel thread).</summary>
    internal Dictionary<string, ManagedOrder> OrdersByVenueId(int venueIndex)
    {
        var byId = new Dictionary<string, ManagedOrder>(StringComparer.Ordinal);
        foreach (ManagedOrder order in _orders.Values)
        {
            if (order.VenueIndex == venueIndex && order.VenueOrderId is { } id)
            {
                byId[id] = order;
            }
        }

        return byId;
    }

    /// <summary>
    /// The engine's order a venue's report names: by client order id, else by the venue's id
    /// (<paramref name="byVenueId"/>, from <see cref="OrdersByVenueId"/>). Null for orders the engine did not place.
    /// </summary>
    internal ManagedOrder? FindOrder(int venueIndex, string? clientOrderId, string venueOrderId, Dictionary<string, ManagedOrder> byVenueId) =>
        clientOrderId is not null && _orders.TryGetValue(clientOrderId, out ManagedOrder? byClient) && byClient.VenueIndex == venueIndex ? byClient
        : byVenueId.TryGetValue(venueOrderId, out ManagedOrder? byVenue) ? byVenue
        : null;

    /// <summary>The id of an event (configured pair) by index.</summary>
    internal string EventId(int eventIndex) => _config.Pairs[eventIndex].EventId;

    /// <summary>Whether a client order id was ever used by this engine (this run or, from the log, an earlier one).</summary>
    internal bool IsOurs(string clientOrderId) => _usedClientIds.Contains(clientOrderId);

    /// <summary>Whether a venue's execution is already counted.</summary>
    internal bool HasFill(string venue, string tradeId) => _seenTrades.Contains(venue + "\n" + tradeId);

    /// <summary>
    /// Ends a working order the venue no longer has (it filled, was cancelled or expired while the
    /// engine could not see it), through the same path as a venue's update so the inventory and
    /// the log agree (kernel thread).
    /// </summary>
    internal void EndAsVenueSays(ManagedOrder order, string reason)
    {
        if (order.IsDone)
        {
            return;
        }

        OrderStatus final = order.Filled >= order.Request.Quantity ? OrderStatus.Filled : OrderStatus.Cancelled;
        var update = new OrderUpdate(order.Request.ClientOrderId, order.VenueOrderId, final, order.Filled, Quantity.Zero, final == OrderStatus.Filled ? null : reason, NowMs());
        _inventory.OnOrderUpdate(order.VenueIndex, update);
        OnOrderUpdate(order.VenueIndex, update);
    }

    /// <summary>Whether an IOC/FOK order of an event is still working (its outcome will change the balance).</summary>
    internal bool HasImmediateWorking(int eventIndex) => eventIndex >= 0 && _immediateWorking[eventIndex] > 0;

    /// <summary>Sends one order for the engine itself (a hedge or an unwind). Returns the order, or null if the venue cannot take it.</summary>
    internal ManagedOrder? SendPolicyOrder(int eventIndex, MarketHandle market, Outcome outcome, OrderSide side, Price limit, Quantity quantity, OrderRole role, string reason)
    {
        MarketBook book = _kernel.Books[market];
        ExecutionRoute route = _routes[book.VenueIndex];
        if (route.Executor is null)
        {
            return null;
        }

        long groupId = _ids.Next();
        long nowTs = _clock.GetTimestamp();
        long nowMs = NowMs();
        var request = new OrderRequest(ClientOrderIds.For(groupId, 0), market, book.MarketId, outcome, side, limit, quantity, TimeInForce.ImmediateOrCancel);
        var order = new ManagedOrder(request, book.VenueIndex, route.Venue, groupId, 0, role, nowMs, nowTs);
        string kind = role == OrderRole.Hedge ? "hedge" : "unwind";
        var attempt = new Attempt(groupId, EngineStrategy, eventIndex, _config.Pairs[eventIndex].EventId, kind, 0, Money.Zero, nowTs, [order]);
        Attempts++;
        _working[groupId] = attempt;
        _log.AttemptStarted(attempt, reason, AgeMs(book, nowTs), nowMs);
        route.RateLimit.Take(1, nowTs);
        SendOrder(order, nowMs);
        return order;
    }

    /// <summary>Cancels every working order of an event (before unwinding it).</summary>
    internal void CancelEvent(int eventIndex)
    {
        foreach (ManagedOrder order in _workingOrders.ToArray())
        {
            if (_inventory.EventOf(order.Request.Market) == eventIndex)
            {
                Cancel(order);
            }
        }
    }

    /// <summary>Counts a finished legged episode toward the consecutive-loss limit.</summary>
    internal void CountOutcome(Money pnl, string what)
    {
        if (pnl.Micros < 0)
        {
            _lossesInRow++;
            if (_lossesInRow >= _risk.Limits.MaxConsecutiveLosses)
            {
                _kill.Engage(false, $"{_lossesInRow} losing attempts in a row (max_consecutive_losses {_risk.Limits.MaxConsecutiveLosses}); last: {what}", "engine");
            }
        }
        else
        {
            _lossesInRow = 0;
        }
    }

    private void Drain()
    {
        if (_pending.Count == 0)
        {
            return;
        }

        // Groups emitted while draining (none today, but a listener could) wait for the next round.
        (IntentGroup Group, bool ReducesRisk)[] batch = _pending.ToArray();
        _pending.Clear();
        foreach ((IntentGroup group, bool reducesRisk) in batch)
        {
            try
            {
                Submit(group, reducesRisk);
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "order manager: group {Id} of {Strategy} failed; nothing more is sent for it", group.Id, group.Strategy);
            }
        }
    }

    private void Submit(IntentGroup group, bool reducesRisk)
    {
        if (group.Action == IntentAction.Cancel)
        {
            if (_working.TryGetValue(group.CancelsGroupId, out Attempt? target))
            {
                foreach (ManagedOrder order in target.Orders)
                {
                    Cancel(order);
                }
            }

            return;
        }

        if (_windingDown && !reducesRisk)
        {
            _risk.Count("stopping");
            Refused(group, "stopping: the engine is winding down");
            return;
        }

        long now = _clock.GetTimestamp();
        int eventIndex = group.Legs.Count > 0 && _kernel.Books.Contains(group.Legs[0].Market) ? _inventory.EventOf(group.Legs[0].Market) : -1;
        long key = DedupKey(group);
        if (!reducesRisk && _liveByKey.ContainsKey(key))
        {
            DuplicatesDropped++;
            _risk.Count("duplicate_in_flight");
            Refused(group, "duplicate_in_flight: the same orders are still working");
            return;
        }

        long nowMs = NowMs();
        string? reason = _risk.Check(group, eventIndex, reducesRisk, eventIndex >= 0 && Policy.IsLegged(eventIndex), _routes, now, nowMs, out string detail);
        if (reason is not null)
        {
            LogRejection(group, reason, detail);
            Refused(group, $"{reason}: {detail}");
            return;
        }

        var orders = new ManagedOrder[group.Legs.Count];
        long oldestAge = 0;
        for (int i = 0; i < orders.Length; i++)
        {
            OrderIntent leg = group.Legs[i];
            MarketBook book = _kernel.Books[leg.Market];
            string clientId = ClientOrderIds.For(group.Id, i);
            if (_usedClientIds.Contains(clientId))
            {
                _logger.LogError("order manager: client order id {Id} was used before; group {Group} is not sent", clientId, group.Id);
                _risk.Count("duplicate_id");
                Refused(group, $"duplicate_id: client order id {clientId} was used before");
                return;
            }

            var request = new OrderRequest(clientId, leg.Market, book.MarketId, leg.Outcome, leg.Side, leg.LimitPrice, leg.Quantity, leg.TimeInForce, leg.PostOnly, leg.ExpiresAtMs);
            orders[i] = new ManagedOrder(request, book.VenueIndex, _routes[book.VenueIndex].Venue, group.Id, i, OrderRole.Strategy, nowMs, now);
            oldestAge = Math.Max(oldestAge, AgeMs(book, now));
        }

        var attempt = new Attempt(group.Id, group.Strategy, eventIndex, group.EventId, reducesRisk ? "hedge" : Attempt.KindOf(group), key, group.ExpectedEdge, now, orders);
        Attempts++;
        _working[group.Id] = attempt;
        if (!reducesRisk)
        {
            _liveByKey[key] = attempt;
        }

        _log.AttemptStarted(attempt, group.Reason, oldestAge, nowMs);
        GroupUpdated?.Invoke(new IntentGroupUpdate(group.Id, IntentGroupState.Accepted, "", Quantity.Zero));
        foreach (ManagedOrder order in orders)
        {
            _routes[order.VenueIndex].RateLimit.Take(1, now);
            SendOrder(order, nowMs);
        }
    }

    private void Refused(IntentGroup group, string reason) =>
        GroupUpdated?.Invoke(new IntentGroupUpdate(group.Id, IntentGroupState.Refused, reason, Quantity.Zero));

    private void SendOrder(ManagedOrder order, long nowMs)
    {
        OrderRequest request = order.Request;
        Track(order);
        _log.OrderSent(order, nowMs);
        OrderSent?.Invoke(request, nowMs);
        ExecutionRoute route = _routes[order.VenueIndex];
        route.Sent++;
        OrdersSent++;
        IOrderExecutor? executor = route.Executor;
        if (executor is null)
        {
            FailOrder(order, $"venue {route.Venue} has no executor now ({route.Kind})");
            return;
        }

        try
        {
            ValueTask sent = executor.PlaceAsync(request, CancellationToken.None);
            if (!sent.IsCompletedSuccessfully)
            {
                _ = WatchSend(sent.AsTask(), order);
            }
        }
        catch (Exception ex)
        {
            FailOrder(order, $"executor error: {ex.Message}");
        }
    }

    /// <summary>Starts following an order: its id is taken, it counts as working and its quantity as open.</summary>
    private void Track(ManagedOrder order)
    {
        OrderRequest request = order.Request;
        _orders[request.ClientOrderId] = order;
        _usedClientIds.Add(request.ClientOrderId);
        _workingOrders.Add(order);
        int eventIndex = _inventory.EventOf(request.Market);
        if (!request.TimeInForce.Rests() && eventIndex >= 0)
        {
            _immediateWorking[eventIndex]++;
        }

        _inventory.OnOrderSent(request);
    }

    private async Task WatchSend(Task sending, ManagedOrder order)
    {
        try
        {
            await sending.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _kernel.Post(KernelEvent.ForCommand(() => FailOrder(order, $"executor error: {ex.Message}")));
        }
    }

    private void FailOrder(ManagedOrder order, string reason)
    {
        if (order.IsDone)
        {
            return;
        }

        // Reported through the same path as a venue's reject, so inventory and the log agree.
        var update = new OrderUpdate(order.Request.ClientOrderId, null, OrderStatus.Rejected, order.Filled, Quantity.Zero, reason, NowMs());
        _inventory.OnOrderUpdate(order.VenueIndex, update);
        OnOrderUpdate(order.VenueIndex, update);
    }

    private void OnOrderError(ManagedOrder order, ExecutionRoute route, string reason)
    {
        route.Errors++;
        if (route.Breaker.RecordError(_clock.GetTimestamp()))
        {
            _alerts.Raise("error", "breaker", null,
                $"venue {route.Venue}: circuit breaker open after {route.Breaker.ConsecutiveErrors} errors in a row (last: {reason}); new orders halted for {_risk.Limits.BreakerCooldown.TotalSeconds:0} s",
                NowMs());
        }
    }

    private void OnOrderDone(ManagedOrder order)
    {
        order.DoneTimestamp = _clock.GetTimestamp();
        _workingOrders.Remove(order);
        int eventIndex = _inventory.EventOf(order.Request.Market);
        if (!order.Request.TimeInForce.Rests() && eventIndex >= 0)
        {
            _immediateWorking[eventIndex]--;
        }

        if (order.Status == OrderStatus.Filled)
        {
            OrdersFilled++;
        }

        if (order.Restored)
        {
            _log.CloseAttemptsLeftWorking(NowMs()); // its attempt, from an earlier run, says how it ended once all its orders have
        }

        if (!_working.TryGetValue(order.GroupId, out Attempt? attempt))
        {
            return;
        }

        if (attempt.Orders.Length > 1)
        {
            // A partner is done: resting legs of the group have nothing left to complete.
            foreach (ManagedOrder other in attempt.Orders)
            {
                if (!other.IsDone && other.Request.TimeInForce.Rests())
                {
                    Cancel(other);
                }
            }
        }

        if (attempt.AllDone)
        {
            Finish(attempt);
        }
    }

    private void Finish(Attempt attempt)
    {
        _working.Remove(attempt.GroupId);
        if (_liveByKey.TryGetValue(attempt.DedupKey, out Attempt? live) && live == attempt)
        {
            _liveByKey.Remove(attempt.DedupKey);
        }

        Quantity min = attempt.Orders[0].Filled, max = min;
        foreach (ManagedOrder order in attempt.Orders)
        {
            min = Quantity.Min(min, order.Filled);
            max = Quantity.Max(max, order.Filled);
        }

        bool allFull = attempt.Orders.All(o => o.Filled >= o.Request.Quantity);
        attempt.Status = max.IsZero ? AttemptStatus.Unfilled
            : allFull ? AttemptStatus.Filled
            : min != max && attempt.Orders.Length > 1 ? AttemptStatus.Legged
            : AttemptStatus.PartiallyFilled;
        if (attempt.Orders.Length == 2 && !min.IsZero && attempt.Orders[0].Request.Outcome != attempt.Orders[1].Request.Outcome
            && attempt.Orders.All(o => o.Request.Side == OrderSide.Buy))
        {
            // Edge on the matched quantity: $1 per pair minus each leg's average cost (fees in) for that many.
            Money cost = Money.Zero;
            foreach (ManagedOrder order in attempt.Orders)
            {
                cost += Money.FromMicros((long)((Int128)(order.Notional + order.Fees).Micros * min.Micros / order.Filled.Micros));
            }

            attempt.RealisedEdge = Money.FromMicros(min.Micros) - cost;
            RealisedEdge += attempt.RealisedEdge.Value;
            PredictedEdge += Money.FromMicros((long)((Int128)attempt.ExpectedEdge.Micros * min.Micros / attempt.Orders[0].Request.Quantity.Micros));
            CountOutcome(attempt.RealisedEdge.Value, $"{attempt.Strategy} {attempt.EventId} realised {attempt.RealisedEdge}");
        }

        string name = FillLog.Name(attempt.Status);
        _attemptsByStatus[name] = _attemptsByStatus.TryGetValue(name, out long n) ? n + 1 : 1;
        _log.AttemptFinished(attempt, NowMs());
        GroupUpdated?.Invoke(new IntentGroupUpdate(attempt.GroupId, IntentGroupState.Ended, name, min));
        AttemptEnded?.Invoke(new AttemptOutcome(attempt.GroupId, attempt.Strategy, attempt.EventId, name,
            attempt.RealisedEdge is { } edge ? $"realised edge ${edge}" : "", NowMs()));
        if (attempt.Status == AttemptStatus.Legged)
        {
            Policy.Check(attempt.EventIndex, _clock.GetTimestamp());
        }
    }

    private void Cancel(ManagedOrder order)
    {
        if (order.IsDone || order.CancelRequested)
        {
            return;
        }

        IOrderExecutor? executor = _routes[order.VenueIndex].Executor;
        if (executor is null)
        {
            return;
        }

        order.CancelRequested = true;
        try
        {
            ValueTask cancelling = executor.CancelAsync(order.Request.ClientOrderId, CancellationToken.None);
            if (!cancelling.IsCompletedSuccessfully)
            {
                _ = WatchCancel(cancelling.AsTask(), order);
            }
        }
        catch (Exception ex)
        {
            order.CancelRequested = false; // try again on the next timer tick
            _logger.LogWarning("cancel of {Id} failed: {Message}", order.Request.ClientOrderId, ex.Message);
        }
    }

    private async Task WatchCancel(Task cancelling, ManagedOrder order)
    {
        try
        {
            await cancelling.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _kernel.Post(KernelEvent.ForCommand(() =>
            {
                order.CancelRequested = false;
                _logger.LogWarning("cancel of {Id} failed: {Message}", order.Request.ClientOrderId, ex.Message);
            }));
        }
    }

    /// <summary>
    /// Resting orders past the resting timeout, and good-till-date orders the venue has not ended
    /// <see cref="ExpiryGraceMs"/> after their expiry (a lost message, a venue that does not expire
    /// them), are cancelled.
    /// </summary>
    private void CancelExpiredRestingOrders(long now)
    {
        long nowMs = -1;
        for (int i = _workingOrders.Count - 1; i >= 0; i--)
        {
            ManagedOrder order = _workingOrders[i];
            if (!order.Request.TimeInForce.Rests() || order.CancelRequested)
            {
                continue;
            }

            if (now - order.SentTimestamp > _restingTimeoutTicks)
            {
                Cancel(order);
            }
            else if (order.Request.TimeInForce == TimeInForce.GoodTillDate)
            {
                nowMs = nowMs < 0 ? NowMs() : nowMs;
                if (nowMs > order.Request.ExpiresAtMs + ExpiryGraceMs)
                {
                    Cancel(order);
                }
            }
        }
    }

    private void Flatten(string reason)
    {
        _alerts.Raise("error", "flatten", null, $"flatten: cancelling {_workingOrders.Count} working orders and unwinding unhedged exposure ({reason})", NowMs());
        foreach (ManagedOrder order in _workingOrders.ToArray())
        {
            Cancel(order);
        }

        Policy.UnwindEverything();
    }

    private void CheckDailyLoss()
    {
        if (_kill.IsEngaged)
        {
            return;
        }

        Money loss = -(_inventory.RealisedToday + Policy.UnhedgedMarkToMarket());
        if (loss > _risk.Limits.DailyLossUsd)
        {
            _kill.Engage(false, $"daily loss ${loss} passed daily_loss_usd ${_risk.Limits.DailyLossUsd}", "engine");
        }
    }

    private void PruneDoneOrders(long now)
    {
        // Done orders are kept a minute for late fills and updates, then forgotten (ids stay reserved).
        if (_orders.Count < 10_000)
        {
            return;
        }

        long horizon = now - (60 * Stopwatch.Frequency);
        foreach ((string id, ManagedOrder order) in _orders.ToArray())
        {
            if (order.IsDone && order.SentTimestamp < horizon)
            {
                _orders.Remove(id);
            }
        }
    }

    private void LogRejection(IntentGroup group, string reason, string detail)
    {
        // Strategies re-emit on every book update: log a few rejections a minute, count them all;
        // a reason not seen yet this minute is always logged (a new cause is never hidden by an old one).
        long minute = NowMs() / 60_000;
        if (minute != _lastRejectLogMinute)
        {
            _lastRejectLogMinute = minute;
            _rejectLogsThisMinute = 0;
            _reasonsLoggedThisMinute.Clear();
        }

        bool newReason = _reasonsLoggedThisMinute.Add(reason);
        if (_rejectLogsThisMinute++ < 10 || newReason)
        {
            _logger.LogInformation("risk rejected {Strategy} {Event} ({Reason}): {Detail}", group.Strategy, group.EventId, reason, detail);
        }

        long nowMs = NowMs();
        long key = DedupKey(group);
        if (AttemptEnded is not null && (!_lastRejectionReported.TryGetValue(key, out long last) || nowMs - last >= 1000))
        {
            _lastRejectionReported[key] = nowMs;
            AttemptEnded(new AttemptOutcome(group.Id, group.Strategy, group.EventId, "rejected", $"{reason}: {detail}", nowMs));
        }
    }

    private static long DedupKey(IntentGroup group)
    {
        long key = OpportunityLog.LegsKey(group);
        foreach (OrderIntent leg in group.Legs)
        {
            if (leg.TimeInForce.Rests())
            {
                key = (key * 31) + leg.LimitPrice.Micros; // a resting quote at a new price is a new quote
            }
        }

        return key;
    }

    private static long AgeMs(MarketBook book, long now) => (long)Stopwatch.GetElapsedTime(book.LastUpdateTimestamp, now).TotalMilliseconds;

    private long NowMs() => _clock.GetUtcNow().ToUnixTimeMilliseconds();
}
