using System.Diagnostics;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Engine.Execution.Journal;
using ArbBot.Engine.Kernel;
using ArbBot.Engine.Orders;
using Microsoft.Extensions.Logging;

namespace ArbBot.Engine.Execution;

/// <summary>
/// The state of every order the engine sent: which are working, what filled, which ids and trade
/// ids were ever used. It places and cancels through the venues' executors and moves each order's
/// state machine on the venue's acks and fills; it decides nothing (what to send is the
/// <see cref="ExecutionEngine"/>'s, whether it may go is risk's). Kernel thread.
/// </summary>
public sealed class OrderManager
{
    /// <summary>How long after a good-till-date order's expiry the engine cancels it itself if the venue has not ended it.</summary>
    public const long ExpiryGraceMs = 5_000;

    private readonly EngineKernel _kernel;
    private readonly Inventory _inventory;
    private readonly IReadOnlyList<ExecutionRoute> _routes;
    private readonly IExecutionJournal _journal;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly Dictionary<string, ManagedOrder> _orders = new(StringComparer.Ordinal);
    private readonly HashSet<string> _usedClientIds = new(StringComparer.Ordinal);
    private readonly List<ManagedOrder> _working = new();
    private int[] _immediateWorking;
    private readonly long _restingTimeoutTicks;

    /// <summary>Creates the manager over the venues' routes.</summary>
    public OrderManager(EngineKernel kernel, Inventory inventory, IReadOnlyList<ExecutionRoute> routes, IExecutionJournal journal, TimeSpan restingTimeout, ILogger logger, TimeProvider clock)
    {
        _kernel = kernel;
        _inventory = inventory;
        _routes = routes;
        _journal = journal;
        _logger = logger;
        _clock = clock;
        _immediateWorking = new int[inventory.EventCount];
        _restingTimeoutTicks = StopwatchTicks.Of(restingTimeout);
    }

    /// <summary>Pairs were appended (the pairs file changed): room for their counts; the others keep theirs. Kernel thread.</summary>
    internal void GrowEvents(int events)
    {
        if (events > _immediateWorking.Length)
        {
            Array.Resize(ref _immediateWorking, events);
        }
    }

    /// <summary>Where the updates the engine makes itself (a failed send, an order the venue no longer has) go: the execution engine's update path, set once at wiring.</summary>
    internal Action<int, OrderUpdate>? EngineUpdates { get; set; }

    /// <summary>Raised for each order sent to a venue's executor, with its send time (Unix ms).</summary>
    public event Action<OrderRequest, long>? OrderSent;

    /// <summary>Orders sent (strategy legs, hedges, unwinds).</summary>
    public long OrdersSent { get; private set; }

    /// <summary>Orders whose whole quantity filled.</summary>
    public long OrdersFilled { get; private set; }

    /// <summary>Fills received for our orders (duplicates excluded).</summary>
    public long Fills { get; private set; }

    /// <summary>Fills that arrived while a cancel of their order was on its way.</summary>
    public long FillsDuringCancel { get; private set; }

    /// <summary>Orders still working.</summary>
    public IReadOnlyList<ManagedOrder> Working => _working;

    /// <summary>Looks up an order (this run's, or one restored from the journal).</summary>
    public ManagedOrder? Order(string clientOrderId) => _orders.TryGetValue(clientOrderId, out ManagedOrder? o) ? o : null;

    /// <summary>Whether a client order id was ever used by this engine (this run or, from the journal, an earlier one).</summary>
    public bool IsOurs(string clientOrderId) => _usedClientIds.Contains(clientOrderId);

    /// <summary>Whether an IOC/FOK order of an event is still working (its outcome will change the balance).</summary>
    public bool HasImmediateWorking(int eventIndex) => eventIndex >= 0 && _immediateWorking[eventIndex] > 0;

    /// <summary>Orders still working on a venue, this run's and those restored.</summary>
    public IEnumerable<ManagedOrder> WorkingOn(int venueIndex) => _working.Where(o => o.VenueIndex == venueIndex);

    /// <summary>The orders still known of one venue by the venue's id: built once per reconciliation.</summary>
    public Dictionary<string, ManagedOrder> OrdersByVenueId(int venueIndex)
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

    /// <summary>The engine's order a venue's report names: by client order id, else by the venue's id. Null for orders the engine did not place.</summary>
    public ManagedOrder? FindOrder(int venueIndex, string? clientOrderId, string venueOrderId, Dictionary<string, ManagedOrder> byVenueId) =>
        clientOrderId is not null && _orders.TryGetValue(clientOrderId, out ManagedOrder? byClient) && byClient.VenueIndex == venueIndex ? byClient
        : byVenueId.TryGetValue(venueOrderId, out ManagedOrder? byVenue) ? byVenue
        : null;

    /// <summary>Records an id as used (an order of an earlier run).</summary>
    internal void ReserveId(string clientOrderId) => _usedClientIds.Add(clientOrderId);

    /// <summary>Keeps a done order of an earlier run for late updates.</summary>
    internal void Remember(ManagedOrder order) => _orders[order.Request.ClientOrderId] = order;

    /// <summary>Starts following an order: its id is taken, it counts as working and its quantity as open.</summary>
    internal void Track(ManagedOrder order)
    {
        OrderRequest request = order.Request;
        _orders[request.ClientOrderId] = order;
        _usedClientIds.Add(request.ClientOrderId);
        _working.Add(order);
        int eventIndex = _inventory.EventOf(request.Market);
        if (!request.TimeInForce.Rests() && eventIndex >= 0)
        {
            _immediateWorking[eventIndex]++;
        }

        _inventory.OnOrderSent(request);
    }

    /// <summary>Tracks an order, writes it to the journal and hands it to its venue's executor.</summary>
    internal void Send(ManagedOrder order, long nowMs, long nowTimestamp)
    {
        OrderRequest request = order.Request;
        ExecutionRoute route = _routes[order.VenueIndex];
        route.RateLimit.Take(1, nowTimestamp);
        Track(order);
        _journal.OrderSent(order, nowMs);
        OrderSent?.Invoke(request, nowMs);
        route.Sent++;
        OrdersSent++;
        if (route.Executor is not { } executor)
        {
            Fail(order, $"venue {route.Venue} has no executor now ({route.Kind})");
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
            Fail(order, $"executor error: {ex.Message}");
        }
    }

    /// <summary>Applies a venue's update. Returns the order if it changed, with whether it just finished.</summary>
    internal ManagedOrder? Apply(OrderUpdate update, out bool finished)
    {
        finished = false;
        if (!_orders.TryGetValue(update.ClientOrderId, out ManagedOrder? order))
        {
            return null;
        }

        bool wasDone = order.IsDone;
        if (!order.Apply(update))
        {
            return null;
        }

        _journal.OrderChanged(order, NowMs());
        finished = !wasDone && order.IsDone;
        if (finished)
        {
            Finished(order);
        }

        return order;
    }

    /// <summary>
    /// Applies a fill (repeats of a venue trade id never get here: the fill gate at the pipeline's
    /// entrance lets each through once). Returns the order, with whether it just finished; null for an unknown order.
    /// </summary>
    internal ManagedOrder? AddFill(Fill fill, out bool finished)
    {
        finished = false;
        if (!_orders.TryGetValue(fill.ClientOrderId, out ManagedOrder? order))
        {
            return null;
        }

        bool wasDone = order.IsDone;
        if (order.CancelRequested)
        {
            FillsDuringCancel++; // still counted and hedged: a cancel in flight does not undo a fill
        }

        order.AddFill(fill);
        Fills++;
        long nowMs = NowMs();
        _journal.FillReceived(fill, order.Venue, _kernel.Books[order.Request.Market].MarketId, order.GroupId, nowMs);
        _journal.OrderChanged(order, nowMs);
        finished = !wasDone && order.IsDone;
        if (finished)
        {
            Finished(order);
        }

        return order;
    }

    /// <summary>
    /// Ends a working order the venue no longer has (it filled, was cancelled or expired while the
    /// engine could not see it), through the same path as a venue's update.
    /// </summary>
    public void EndAsVenueSays(ManagedOrder order, string reason)
    {
        if (order.IsDone)
        {
            return;
        }

        OrderStatus final = order.Filled >= order.Request.Quantity ? OrderStatus.Filled : OrderStatus.Cancelled;
        Report(order, new OrderUpdate(order.Request.ClientOrderId, order.VenueOrderId, final, order.Filled, Quantity.Zero, final == OrderStatus.Filled ? null : reason, NowMs()));
    }

    /// <summary>Asks the venue to cancel an order (once; a failed request is tried again at the next expiry sweep).</summary>
    internal void Cancel(ManagedOrder order)
    {
        if (order.IsDone || order.CancelRequested || _routes[order.VenueIndex].Executor is not { } executor)
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
            order.CancelRequested = false;
            _logger.LogWarning("cancel of {Id} failed: {Message}", order.Request.ClientOrderId, ex.Message);
        }
    }

    /// <summary>Cancels every working order that <paramref name="which"/> selects.</summary>
    internal int CancelWhere(Func<ManagedOrder, bool> which)
    {
        int cancelled = 0;
        foreach (ManagedOrder order in _working.ToArray())
        {
            if (which(order))
            {
                Cancel(order);
                cancelled++;
            }
        }

        return cancelled;
    }

    /// <summary>
    /// Resting orders past the resting timeout, and good-till-date orders the venue has not ended
    /// <see cref="ExpiryGraceMs"/> after their expiry (a lost message, a venue that does not expire
    /// them), are cancelled.
    /// </summary>
    internal void CancelExpiredResting(long now)
    {
        long nowMs = -1;
        for (int i = _working.Count - 1; i >= 0; i--)
        {
            ManagedOrder order = _working[i];
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

    /// <summary>Done orders are kept a minute for late fills and updates, then forgotten (their ids stay reserved).</summary>
    internal void PruneDone(long now)
    {
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

    private void Finished(ManagedOrder order)
    {
        order.DoneTimestamp = _clock.GetTimestamp();
        _working.Remove(order);
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
            _journal.CloseAttemptsLeftWorking(NowMs()); // its attempt, from an earlier run, says how it ended once all its orders have
        }
    }

    private async Task WatchSend(Task sending, ManagedOrder order)
    {
        try
        {
            await sending.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _kernel.Post(KernelEvent.ForCommand(() => Fail(order, $"executor error: {ex.Message}")));
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

    /// <summary>An order that never reached its venue is reported as the venue's reject would be.</summary>
    private void Fail(ManagedOrder order, string reason)
    {
        if (!order.IsDone)
        {
            Report(order, new OrderUpdate(order.Request.ClientOrderId, null, OrderStatus.Rejected, order.Filled, Quantity.Zero, reason, NowMs()));
        }
    }

    private void Report(ManagedOrder order, OrderUpdate update)
    {
        // Through the same path as a venue's update, so positions, the journal and the attempt agree.
        _inventory.OnOrderUpdate(order.VenueIndex, update);
        EngineUpdates?.Invoke(order.VenueIndex, update);
    }

    private long NowMs() => _clock.GetUtcNow().ToUnixTimeMilliseconds();
}
