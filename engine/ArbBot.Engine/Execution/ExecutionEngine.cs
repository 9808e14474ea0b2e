using System.Diagnostics;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Abstractions.Strategies;
using ArbBot.Engine.Books;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Execution.Alerts;
using ArbBot.Engine.Execution.Journal;
using ArbBot.Engine.Kernel;
using ArbBot.Engine.Orders;
using ArbBot.Engine.Risk;
using Microsoft.Extensions.Logging;

namespace ArbBot.Engine.Execution;

/// <summary>
/// Turns intent groups into orders, on the kernel thread. Every group passes <see cref="RiskEngine"/>
/// first; a group whose legs (and, for resting orders, price) match one still working is a duplicate
/// and is dropped and counted. Legs go out together through the <see cref="OrderManager"/>. When a leg
/// of a group finishes, the group's resting legs are cancelled; when every leg is done the attempt is
/// judged (<see cref="Attempt.Judge"/>) and its realised edge counted toward the loss limits. Unequal
/// fills are left to the <see cref="LeggedPolicy"/>, which acts through <see cref="IPolicyOrders"/>.
/// </summary>
public sealed class ExecutionEngine : IPolicyOrders
{
    /// <summary>Strategy name used for the engine's own orders (hedges, unwinds).</summary>
    public const string EngineStrategy = "engine";

    private ArbBotConfig _config;
    private readonly BookStore _books;
    private readonly Inventory _inventory;
    private readonly IExecutionJournal _journal;
    private readonly AlertSink _alerts;
    private readonly GroupIds _ids;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly Dictionary<long, Attempt> _working = new();
    private readonly Dictionary<long, Attempt> _liveByKey = new();
    private readonly Dictionary<long, long> _lastRejectionReported = new(); // dedup key -> Unix ms of the last rejection reported
    private readonly ExecutionStats _stats = new();
    private readonly List<IntentGroupUpdate> _groupUpdates = new();
    private bool _windingDown;

    /// <summary>Creates the engine over the order state and the risk engine; it makes the legged policy.</summary>
    public ExecutionEngine(ArbBotConfig config, BookStore books, Inventory inventory, IReadOnlyList<ExecutionRoute> routes, OrderManager orders, RiskEngine risk,
        IExecutionJournal journal, AlertSink alerts, GroupIds ids, ILogger logger, TimeProvider clock)
    {
        _config = config;
        _books = books;
        _inventory = inventory;
        Routes = routes;
        Orders = orders;
        Risk = risk;
        _journal = journal;
        _alerts = alerts;
        _ids = ids;
        _logger = logger;
        _clock = clock;
        Policy = new LeggedPolicy(this, risk, config, books, inventory, alerts, journal, clock);
        orders.EngineUpdates = (venue, update) => OnOrderUpdate(venue, update);
    }

    /// <summary>The order state.</summary>
    public OrderManager Orders { get; }

    /// <summary>The risk engine every group passes.</summary>
    public RiskEngine Risk { get; }

    /// <summary>Which pairs this engine owns (<c>engine.ownership_lease</c>), or null: every configured pair is its own.</summary>
    public Risk.Ownership.PairOwnership? Ownership { get; set; }

    /// <summary>The legged policy.</summary>
    public LeggedPolicy Policy { get; }

    /// <summary>Each venue trade id once: the decision pipeline asks it before a fill goes anywhere.</summary>
    public FillGate Fills { get; } = new();

    /// <summary>
    /// Whether a fill goes on into the pipeline (its venue trade id not seen before). A repeat that
    /// says something else than the first is alerted: one of them is real, and only the venue's
    /// account (reconciliation) can say which.
    /// </summary>
    public bool Admit(int venueIndex, in Fill fill)
    {
        string venue = Routes[venueIndex].Venue;
        if (Fills.Admit(venue, fill, out bool conflict, out string first))
        {
            return true;
        }

        if (conflict)
        {
            _alerts.Raise("error", "fill_conflict", null,
                $"{venue} reported trade id {fill.TradeId} again, for a different fill: first {first}, now {fill.Side.ToString().ToLowerInvariant()} {fill.Quantity} {fill.Outcome.ToWireName()} at {fill.Price} for order {fill.ClientOrderId}; the repeat is not counted (trade ids must be unique, also across plugin restarts), and reconciliation with the venue's positions will show a difference if it was real",
                NowMs());
        }

        return false;
    }

    /// <summary>The engine clock.</summary>
    public TimeProvider Clock => _clock;

    /// <summary>Routes by venue index.</summary>
    public IReadOnlyList<ExecutionRoute> Routes { get; }

    /// <summary>Attempts started (groups that passed risk).</summary>
    public long Attempts => _stats.Attempts;

    /// <summary>Sum of the realised edge of finished attempts that had one.</summary>
    public Money RealisedEdge => _stats.RealisedEdge;

    /// <summary>Whether nothing is working and no event is legged.</summary>
    public bool IsQuiet => Orders.Working.Count == 0 && !Policy.Open.Any();

    /// <summary>
    /// Raised when an attempt ends or a group is refused by risk (a group re-emitted with the same
    /// legs is reported once a second at most). For observers (the mirror, replay reports).
    /// </summary>
    public event Action<AttemptOutcome>? AttemptEnded;

    /// <summary>Sends (or refuses) every group in a batch, in order.</summary>
    public void Execute(IReadOnlyList<IntentGroup> batch)
    {
        for (int i = 0; i < batch.Count; i++)
        {
            IntentGroup group = batch[i];
            try
            {
                Submit(group);
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "execution: group {Id} of {Strategy} failed; nothing more is sent for it", group.Id, group.Strategy);
            }
        }
    }

    /// <summary>Whether a strategy group was accepted, refused or ended since the last <see cref="TakeGroupUpdates"/>.</summary>
    public bool HasGroupUpdates => _groupUpdates.Count > 0;

    /// <summary>What became of strategy groups since the last call (accepted, refused, ended), for the strategies that emitted them.</summary>
    public bool TakeGroupUpdates(List<IntentGroupUpdate> into)
    {
        if (_groupUpdates.Count == 0)
        {
            return false;
        }

        into.AddRange(_groupUpdates);
        _groupUpdates.Clear();
        return true;
    }

    /// <summary>
    /// Stamps a group built outside a strategy (a tool, a test, a manual order) and checks and sends
    /// it now, on the kernel thread, exactly as a strategy's would be. Returns its id.
    /// </summary>
    public long SubmitNow(IntentGroup group, string source, string eventId, bool reducesRisk = false)
    {
        group.Stamp(_ids.Next(), source, eventId, NowMs(), reducesRisk);
        Execute([group]);
        return group.Id;
    }

    /// <summary>A venue's update of an order: order state, the venue's breaker, and the attempt if the order finished.</summary>
    public void OnOrderUpdate(int venueIndex, OrderUpdate update)
    {
        if (Orders.Apply(update, out bool finished) is not { } order)
        {
            return;
        }

        ExecutionRoute route = Routes[order.VenueIndex];
        if (update.Status == OrderStatus.Rejected)
        {
            Risk.OrderFailed(route, update.Reason ?? "rejected");
        }
        else if (update.Status is OrderStatus.Acked or OrderStatus.Filled or OrderStatus.PartiallyFilled)
        {
            RiskEngine.OrderSucceeded(route);
        }

        if (finished)
        {
            OnOrderDone(order);
        }
    }

    /// <summary>A fill of one of the engine's orders. Returns the event whose balance to check, or -1.</summary>
    public int OnFill(Fill fill)
    {
        if (Orders.AddFill(fill, out bool finished) is not { } order)
        {
            return -1;
        }

        RiskEngine.OrderSucceeded(Routes[order.VenueIndex]);
        if (finished)
        {
            OnOrderDone(order);
        }

        return _inventory.EventOf(order.Request.Market);
    }

    /// <summary>The timer: expired resting orders, a requested flatten, every event's balance, the day's loss.</summary>
    public void OnTimer(long now)
    {
        Orders.CancelExpiredResting(now);
        if (Risk.TakeFlattenRequest(out string reason))
        {
            Flatten(reason);
        }

        Policy.CheckAll(now);
        Risk.Losses.CheckDailyLoss(_inventory.RealisedToday, Policy.UnhedgedMarkToMarket());
        Orders.PruneDone(now);
    }

    /// <summary>
    /// A market resolved: the engine's positions there are settled at $1 a winning contract, the
    /// result booked and journaled, working orders there cancelled, and the event's balance checked.
    /// </summary>
    public MarketSettlement Settle(MarketBook book, Outcome winner, long venueMs)
    {
        long nowMs = NowMs();
        MarketSettlement settled = _inventory.SettleMarket(book.Handle, winner, venueMs);
        _journal.Settled(book.VenueName, book.MarketId, winner, settled, venueMs, nowMs);
        Orders.CancelWhere(o => o.Request.Market == book.Handle);
        if (!settled.Yes.IsZero || !settled.No.IsZero)
        {
            int eventIndex = _inventory.EventOf(book.Handle);
            _alerts.Raise("info", "settled", eventIndex >= 0 ? EventId(eventIndex) : null,
                $"{book.VenueName} {book.MarketId} resolved {winner.ToWireName()}: {settled.Yes} yes and {settled.No} no settled, paid ${settled.Payout}, realised ${settled.Pnl}", nowMs);
            Policy.Check(eventIndex, _clock.GetTimestamp());
        }

        return settled;
    }

    /// <summary>
    /// Stopping: no new strategy orders from now on (hedges and the legged policy still go) and
    /// resting orders are cancelled, so that working orders finish and legged events get flat.
    /// </summary>
    public void BeginWindDown()
    {
        _windingDown = true;
        Orders.CancelWhere(o => o.Request.TimeInForce.Rests());
    }

    /// <inheritdoc/>
    public bool HasImmediateWorking(int eventIndex) => Orders.HasImmediateWorking(eventIndex);

    /// <inheritdoc/>
    public bool CanTrade(int venueIndex) => Routes[venueIndex].Executor is not null;

    /// <inheritdoc/>
    public void CancelEvent(int eventIndex) => Orders.CancelWhere(o => _inventory.EventOf(o.Request.Market) == eventIndex);

    /// <inheritdoc/>
    public ManagedOrder? SendPolicyOrder(int eventIndex, MarketHandle market, Outcome outcome, OrderSide side, Price limit, Quantity quantity, OrderRole role, string reason)
    {
        MarketBook book = _books[market];
        ExecutionRoute route = Routes[book.VenueIndex];
        if (route.Executor is null)
        {
            return null;
        }

        if (Ownership is { } ownership && !ownership.Owns(eventIndex, _clock.GetTimestamp()))
        {
            return null; // another engine owns the pair now: it reconciles the position from the venue and handles it
        }

        long groupId = _ids.Next();
        long now = _clock.GetTimestamp();
        long nowMs = NowMs();
        var request = new OrderRequest(ClientOrderIds.For(groupId, 0), market, book.MarketId, outcome, side, limit, quantity, TimeInForce.ImmediateOrCancel);
        var order = new ManagedOrder(request, book.VenueIndex, route.Venue, groupId, 0, role, nowMs, now);
        var attempt = new Attempt(groupId, EngineStrategy, eventIndex, EventId(eventIndex), role == OrderRole.Hedge ? "hedge" : "unwind", 0, Money.Zero, now, [order]);
        Start(attempt, reason, AgeMs(book, now), nowMs);
        Orders.Send(order, nowMs, now);
        return order;
    }

    /// <summary>The id of an event (configured pair) by index.</summary>
    public string EventId(int eventIndex) => _config.Pairs[eventIndex].EventId;

    /// <summary>
    /// Pairs were appended to the running engine (the pairs file changed; <paramref name="config"/>
    /// lists every pair by event index, retired ones included, after the inventory was mapped to
    /// them). Kernel thread.
    /// </summary>
    public void UsePairs(ArbBotConfig config)
    {
        _config = config;
        Orders.GrowEvents(_inventory.EventCount);
        Policy.UsePairs(config);
    }

    /// <summary>The figures now.</summary>
    public ExecutionSummary Summarize() => ExecutionSummaries.Of(_stats, Orders, Risk, Policy, Routes, _config.Execution.Mode, _inventory, _journal, _clock.GetTimestamp());

    private void Submit(IntentGroup group)
    {
        if (group.Action == IntentAction.Cancel)
        {
            if (_working.TryGetValue(group.CancelsGroupId, out Attempt? target))
            {
                foreach (ManagedOrder order in target.Orders)
                {
                    Orders.Cancel(order);
                }
            }

            return;
        }

        long now = _clock.GetTimestamp();
        long nowMs = NowMs();
        if (_windingDown && !group.ReducesRisk)
        {
            Refuse(group, RejectReason.Stopping, "the engine is winding down", nowMs);
            return;
        }

        int eventIndex = group.Legs.Count > 0 && _books.Contains(group.Legs[0].Market) ? _inventory.EventOf(group.Legs[0].Market) : -1;
        long key = Attempt.DedupKeyOf(group);
        if (!group.ReducesRisk && _liveByKey.ContainsKey(key))
        {
            _stats.DuplicatesDropped++;
            Refuse(group, RejectReason.DuplicateInFlight, "the same orders are still working", nowMs);
            return;
        }

        if (Risk.Check(group, eventIndex, now, nowMs, out string detail) is { } reason)
        {
            ReportRejection(group, key, reason, detail, nowMs);
            _groupUpdates.Add(new IntentGroupUpdate(group.Id, IntentGroupState.Refused, $"{reason}: {detail}", Quantity.Zero));
            return;
        }

        var orders = new ManagedOrder[group.Legs.Count];
        long oldestAge = 0;
        for (int i = 0; i < orders.Length; i++)
        {
            OrderIntent leg = group.Legs[i];
            MarketBook book = _books[leg.Market];
            string clientId = ClientOrderIds.For(group.Id, i);
            if (Orders.IsOurs(clientId))
            {
                _logger.LogError("execution: client order id {Id} was used before; group {Group} is not sent", clientId, group.Id);
                Refuse(group, RejectReason.DuplicateId, $"client order id {clientId} was used before", nowMs);
                return;
            }

            var request = new OrderRequest(clientId, leg.Market, book.MarketId, leg.Outcome, leg.Side, leg.LimitPrice, leg.Quantity, leg.TimeInForce, leg.PostOnly, leg.ExpiresAtMs);
            orders[i] = new ManagedOrder(request, book.VenueIndex, Routes[book.VenueIndex].Venue, group.Id, i, OrderRole.Strategy, nowMs, now);
            oldestAge = Math.Max(oldestAge, AgeMs(book, now));
        }

        var attempt = new Attempt(group.Id, group.Strategy, eventIndex, group.EventId, group.ReducesRisk ? "hedge" : Attempt.KindOf(group), key, group.ExpectedEdge, now, orders)
        {
            SetPayout = Risk.LastRequest.SetPayout,
        };
        if (!group.ReducesRisk)
        {
            _liveByKey[key] = attempt;
        }

        Start(attempt, group.Reason, oldestAge, nowMs);
        _groupUpdates.Add(new IntentGroupUpdate(group.Id, IntentGroupState.Accepted, "", Quantity.Zero));
        foreach (ManagedOrder order in orders)
        {
            Orders.Send(order, nowMs, now);
        }
    }

    private void Start(Attempt attempt, string reason, long bookAgeMs, long nowMs)
    {
        attempt.Fence = Ownership?.FenceOf(attempt.EventIndex) ?? 0;
        foreach (ManagedOrder order in attempt.Orders)
        {
            order.Fence = attempt.Fence;
        }

        _stats.Attempts++;
        _working[attempt.GroupId] = attempt;
        _journal.AttemptStarted(attempt, reason, bookAgeMs, nowMs);
    }

    private void Refuse(IntentGroup group, string reason, string detail, long nowMs)
    {
        Risk.Reject(group, reason, detail, nowMs);
        _groupUpdates.Add(new IntentGroupUpdate(group.Id, IntentGroupState.Refused, $"{reason}: {detail}", Quantity.Zero));
    }

    private void ReportRejection(IntentGroup group, long key, string reason, string detail, long nowMs)
    {
        if (AttemptEnded is not null && (!_lastRejectionReported.TryGetValue(key, out long last) || nowMs - last >= 1000))
        {
            _lastRejectionReported[key] = nowMs;
            AttemptEnded(new AttemptOutcome(group.Id, group.Strategy, group.EventId, "rejected", $"{reason}: {detail}", nowMs));
        }
    }

    private void OnOrderDone(ManagedOrder order)
    {
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
                    Orders.Cancel(other);
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

        Quantity matched = attempt.Judge();
        if (attempt.RealisedEdge is { } realised)
        {
            _stats.RealisedEdge += realised;
            _stats.PredictedEdge += Money.FromMicros((long)((Int128)attempt.ExpectedEdge.Micros * matched.Micros / attempt.Orders[0].Request.Quantity.Micros));
            Risk.Losses.CountOutcome(realised, $"{attempt.Strategy} {attempt.EventId} realised {realised}");
        }

        string name = WireNames.Of(attempt.Status);
        _stats.AttemptsByStatus[name] = _stats.AttemptsByStatus.TryGetValue(name, out long n) ? n + 1 : 1;
        long nowMs = NowMs();
        _journal.AttemptFinished(attempt, nowMs);
        _groupUpdates.Add(new IntentGroupUpdate(attempt.GroupId, IntentGroupState.Ended, name, matched));
        AttemptEnded?.Invoke(new AttemptOutcome(attempt.GroupId, attempt.Strategy, attempt.EventId, name,
            attempt.RealisedEdge is { } edge ? $"realised edge ${edge}" : "", nowMs));
        if (attempt.Status == AttemptStatus.Legged)
        {
            Policy.Check(attempt.EventIndex, _clock.GetTimestamp());
        }
    }

    private void Flatten(string reason)
    {
        _alerts.Raise("error", "flatten", null, $"flatten: cancelling {Orders.Working.Count} working orders and unwinding unhedged exposure ({reason})", NowMs());
        Orders.CancelWhere(_ => true);
        Policy.UnwindEverything();
    }

    private static long AgeMs(MarketBook book, long now) => (long)Stopwatch.GetElapsedTime(book.LastUpdateTimestamp, now).TotalMilliseconds;

    private long NowMs() => _clock.GetUtcNow().ToUnixTimeMilliseconds();
}
