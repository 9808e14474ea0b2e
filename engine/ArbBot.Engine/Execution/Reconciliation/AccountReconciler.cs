using System.Diagnostics;
using ArbBot.Abstractions.Account;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Engine.Books;
using ArbBot.Engine.Execution.Alerts;
using ArbBot.Engine.Execution.Journal;
using ArbBot.Engine.Risk;
using ArbBot.Engine.Kernel;
using ArbBot.Engine.Orders;
using Microsoft.Extensions.Logging;

namespace ArbBot.Engine.Execution.Reconciliation;

/// <summary>
/// Keeps the engine's belief and each live venue's account in agreement (live mode). A check
/// reads the venue's open orders, its fills since a little before the oldest working order (or the
/// last check), its positions and its cash (<see cref="IVenueAccount"/>, off the kernel thread),
/// then on the kernel thread: fills the engine missed are delivered once (the log keys them by
/// trade id); orders an earlier run left working are adopted if the venue still rests them and
/// ended as the venue says if not; an order the venue took but has not listed in two checks in a
/// row is ended as the venue says too (it ended there without a word reaching the engine); resting orders with the engine's client id prefix (or, where the
/// venue keeps no client id, on a market it trades) that the engine does not know are cancelled and
/// alerted; positions that differ are alerted and block their event (<see cref="AccountGate"/>)
/// until they agree or an operator accepts the venue's figure; cash becomes the balance for
/// <c>insufficient_balance</c>. A check runs at start (no order goes to the venue before the first
/// succeeds), after the executor reports a reconnect, and every <c>reconcile_interval</c>.
/// </summary>
public sealed class AccountReconciler : IKernelListener, IAsyncDisposable
{
    /// <summary>Fills are read from this long before the oldest working order or the last check (venue clocks and slow reports).</summary>
    public const long FillLookbackMs = 120_000;

    /// <summary>A market that filled this recently (engine time) is compared at the next check: the venue's position may not show the fill yet.</summary>
    private static readonly long s_settleTicks = 2 * Stopwatch.Frequency;

    private readonly EngineKernel _kernel;
    private readonly OrderManager _orders;
    private readonly Inventory _inventory;
    private readonly IReadOnlyList<ExecutionRoute> _routes;
    private readonly AccountGate _gate;
    private readonly VenueCash _cash;
    private readonly IExecutionJournal _log;
    private readonly ExecutionEngine _execution;
    private readonly AlertSink _alerts;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly long _intervalTicks;
    private readonly VenueCheck[] _checks;
    private readonly Dictionary<int, long> _lastFillAt = new(); // market -> engine timestamp of its last fill
    private readonly HashSet<int> _resolved = new(); // markets that resolved (compared again only once a new round trades)
    private readonly Dictionary<(int Market, Outcome Outcome), (Quantity Engine, Quantity Venue, long SinceMs)> _mismatches = new();
    private readonly CancellationTokenSource _stop = new();

    /// <summary>Creates the reconciler for the given venues (live routes).</summary>
    public AccountReconciler(EngineKernel kernel, ExecutionEngine execution, Inventory inventory, IEnumerable<int> venues,
        AccountGate gate, VenueCash cash, IExecutionJournal log, AlertSink alerts, TimeSpan interval, ILogger logger, TimeProvider clock)
    {
        _kernel = kernel;
        _execution = execution;
        _orders = execution.Orders;
        _inventory = inventory;
        _routes = execution.Routes;
        _gate = gate;
        _cash = cash;
        _log = log;
        _alerts = alerts;
        _logger = logger;
        _clock = clock;
        _intervalTicks = interval <= TimeSpan.Zero ? long.MaxValue : (long)(interval.TotalSeconds * Stopwatch.Frequency);
        _checks = venues.Select(v => new VenueCheck(v)).ToArray();
    }

    /// <summary>Checks completed, all venues.</summary>
    public long Checks => _checks.Sum(c => Interlocked.Read(ref c.Completed));

    /// <summary>Checks that failed (the venue could not be read), all venues.</summary>
    public long Failures => _checks.Sum(c => Interlocked.Read(ref c.Failed));

    /// <inheritdoc/>
    public bool WantsBookUpdates => false;

    /// <summary>Starts the first check of every venue (orders to a venue wait until its first check succeeds).</summary>
    public void Start()
    {
        foreach (VenueCheck check in _checks)
        {
            Request(check, "start");
        }
    }

    /// <summary>
    /// This engine took over a pair another engine traded (<c>engine.ownership_lease</c>): the venue's
    /// orders wait until its account has been read back again, so the pair's positions and open
    /// orders are the venue's, not this engine's belief. Kernel thread.
    /// </summary>
    public void RecheckBeforeTrading(int venueIndex, string why)
    {
        _gate.VenueUnreconciled(venueIndex, why);
        OnReconnected(venueIndex);
    }

    /// <summary>Asks for a check of a venue soon (any thread): its executor reconnected.</summary>
    public void OnReconnected(int venueIndex)
    {
        foreach (VenueCheck check in _checks)
        {
            if (check.Venue == venueIndex)
            {
                Request(check, "reconnect");
            }
        }
    }

    /// <inheritdoc/>
    public void OnBookUpdated(MarketBook book)
    {
    }

    /// <inheritdoc/>
    public void OnOrderUpdate(int venueIndex, OrderUpdate update)
    {
    }

    /// <inheritdoc/>
    public void OnFill(int venueIndex, Fill fill) => _lastFillAt[fill.Market.Value] = _clock.GetTimestamp();

    /// <inheritdoc/>
    public void OnMarketResolved(MarketBook book, MarketResolution resolution) => _resolved.Add(book.Handle.Value);

    /// <inheritdoc/>
    public void OnTimer(long nowTimestamp)
    {
        foreach (VenueCheck check in _checks)
        {
            if (check.LastStartedTimestamp != 0 && nowTimestamp - check.LastStartedTimestamp >= _intervalTicks)
            {
                Request(check, "periodic");
            }
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (VenueCheck check in _checks)
        {
            if (check.Running is { } running)
            {
                await running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        _stop.Dispose();
    }

    private void Request(VenueCheck check, string why)
    {
        lock (check)
        {
            check.LastStartedTimestamp = _clock.GetTimestamp();
            if (check.Running is { IsCompleted: false })
            {
                check.Again = why; // one more after the one running: what it read may predate the reason
                return;
            }

            check.Running = Task.Run(() => RunAsync(check, why));
        }
    }

    private async Task RunAsync(VenueCheck check, string why)
    {
        int retry = 0;
        while (!_stop.IsCancellationRequested)
        {
            bool ok = await CheckAsync(check, why).ConfigureAwait(false);
            lock (check)
            {
                if (ok && check.Again is null)
                {
                    check.Running = null;
                    return;
                }

                why = check.Again ?? why;
                check.Again = null;
            }

            if (!ok)
            {
                // Not reconciled: the venue keeps its gate (fail closed) and is read again, less often each time.
                TimeSpan wait = TimeSpan.FromMilliseconds(Math.Min(30_000, 500 << Math.Min(retry++, 6)));
                try
                {
                    await Task.Delay(wait, _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>One check of one venue; false if the venue could not be read (nothing is changed then).</summary>
    private async Task<bool> CheckAsync(VenueCheck check, string why)
    {
        ExecutionRoute route = _routes[check.Venue];
        IOrderExecutor? executor = route.Executor;
        if (executor is not IVenueAccount account)
        {
            if (executor is not null)
            {
                await _kernel.InvokeAsync(() => WithoutAccount(route)).ConfigureAwait(false);
                return true;
            }

            _kernel.Post(KernelEvent.ForCommand(() => _gate.VenueUnreconciled(check.Venue, "its executor is not running")));
            return false;
        }

        try
        {
            CancellationToken token = _stop.Token;
            long startedMs = _clock.GetUtcNow().ToUnixTimeMilliseconds();
            long startedTimestamp = _clock.GetTimestamp();
            long since = await _kernel.InvokeAsync(() => FillsFromMs(check, startedMs)).ConfigureAwait(false);
            IReadOnlyList<VenuePosition> positions = await account.PositionsAsync(token).ConfigureAwait(false);
            IReadOnlyList<VenueOrder> open = await account.OpenOrdersAsync(token).ConfigureAwait(false);
            IReadOnlyList<VenueFill> fills = await account.FillsSinceAsync(since, token).ConfigureAwait(false);
            Money? balance = await account.BalanceAsync(token).ConfigureAwait(false);
            IReadOnlyList<PositionAccept> accepts = _log.PendingAccepts(route.Venue);

            // Missed fills go through the kernel like any fill (inventory, orders, strategies, log), before the rest is judged.
            List<Fill> missed = await _kernel.InvokeAsync(() => MissedFills(check.Venue, fills)).ConfigureAwait(false);
            foreach (Fill fill in missed)
            {
                _kernel.Post(KernelEvent.ForExecution(check.Venue, KernelEventKind.Fill, fill));
            }

            var report = new AccountReport(why, open, fills, positions, balance, accepts, missed.Count, startedMs, startedTimestamp);
            List<VenueOrder> unknown = await _kernel.InvokeAsync(() => Apply(check, account, report)).ConfigureAwait(false);
            foreach (VenueOrder order in unknown)
            {
                try
                {
                    await account.CancelUnknownAsync(order, token).ConfigureAwait(false);
                }
                catch (Exception ex) when (!token.IsCancellationRequested)
                {
                    _alerts.Raise("error", "reconcile", null, $"{route.Venue}: could not cancel unknown order {order.VenueOrderId} on {order.MarketId}: {ex.Message}", _clock.GetUtcNow().ToUnixTimeMilliseconds());
                }
            }

            Interlocked.Increment(ref check.Completed);
            return true;
        }
        catch (Exception ex) when (!_stop.IsCancellationRequested)
        {
            long failures = Interlocked.Increment(ref check.Failed);
            if (failures <= 5 || failures % 100 == 0)
            {
                _logger.LogWarning("reconcile {Venue} ({Why}): the account could not be read: {Message}; {State}", route.Venue, why, ex.Message,
                    _gate.VenueWait(check.Venue) is null ? "trading goes on on what was last confirmed" : "no orders go to it until it can");
            }

            return false;
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>A plugin built before contract 2.2 cannot report its account: what an earlier run left working there is closed, as before.</summary>
    private bool WithoutAccount(ExecutionRoute route)
    {
        if (_gate.VenueWait(route.VenueIndex) is null)
        {
            return true;
        }

        foreach (ManagedOrder order in _orders.WorkingOn(route.VenueIndex).Where(o => o.Restored).ToList())
        {
            _orders.EndAsVenueSays(order, "the engine stopped while this order was working and the venue's plugin cannot report its account: its fate is unknown");
        }

        _logger.LogWarning("reconcile {Venue}: its plugin cannot report the account (built for a contract before 2.2): orders, fills and positions are not checked against the venue", route.Venue);
        _gate.VenueReconciled(route.VenueIndex);
        return true;
    }

    /// <summary>Kernel thread: fills are read from a little before the oldest working order, or the last check.</summary>
    private long FillsFromMs(VenueCheck check, long nowMs)
    {
        long from = check.LastSuccessMs > 0 ? check.LastSuccessMs : nowMs;
        foreach (ManagedOrder order in _orders.WorkingOn(check.Venue))
        {
            from = Math.Min(from, order.SentMs);
        }

        return from - FillLookbackMs;
    }

    /// <summary>Kernel thread: the venue's executions of the engine's orders that the engine has not counted, as fills of those orders.</summary>
    private List<Fill> MissedFills(int venueIndex, IReadOnlyList<VenueFill> fills)
    {
        var missed = new List<Fill>();
        string venue = _routes[venueIndex].Venue;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        Dictionary<string, ManagedOrder> byVenueId = _orders.OrdersByVenueId(venueIndex);
        foreach (VenueFill f in fills)
        {
            if (_execution.Fills.Seen(venue, f.TradeId) || !seen.Add(f.TradeId) || _orders.FindOrder(venueIndex, f.ClientOrderId, f.VenueOrderId, byVenueId) is not { } order)
            {
                continue; // counted already, or not an order of this engine
            }

            OrderRequest r = order.Request;
            Price price = f.Outcome == r.Outcome ? f.Price : f.Price.Complement; // the order's outcome's price (a one-book venue may report the other side)
            missed.Add(new Fill(r.ClientOrderId, f.VenueOrderId, f.TradeId, r.Market, r.Outcome, r.Side, price, f.Quantity, f.Fee, f.IsMaker, f.TimestampMs));
        }

        return missed;
    }

    /// <summary>Kernel thread, after the missed fills: orders, positions, cash. Returns the unknown resting orders to cancel.</summary>
    private List<VenueOrder> Apply(VenueCheck check, IVenueAccount account, AccountReport report)
    {
        int venueIndex = check.Venue;
        ExecutionRoute route = _routes[venueIndex];
        long nowMs = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        (int adopted, int ended, List<VenueOrder> unknown) = ReconcileOrders(check, account, report.Open, report.StartedTimestamp);
        foreach (PositionAccept accept in report.Accepts)
        {
            ApplyAccept(route, accept, nowMs);
        }

        int differences = ComparePositions(venueIndex, report, nowMs);
        if (report.Balance is { } balance)
        {
            _cash.SetVenueBalance(venueIndex, balance);
        }

        bool first = _gate.VenueWait(venueIndex) is not null;
        _gate.VenueReconciled(venueIndex);
        check.LastSuccessMs = report.StartedMs;
        string summary = $"{report.Open.Count} open orders at the venue ({adopted} adopted, {ended} ended while unseen, {unknown.Count} unknown cancelled), "
            + $"{report.Fills.Count} fills read ({report.Missed} missed and now counted), {report.Positions.Count} positions ({differences} differ), "
            + $"balance {(report.Balance is { } b ? "$" + b : "not reported")}, {report.Accepts.Count} accepted figures applied";
        if (first || adopted + ended + unknown.Count + report.Missed + differences + report.Accepts.Count > 0)
        {
            _logger.LogInformation("reconciled {Venue} ({Why}): {Summary}{Then}", route.Venue, report.Why, summary, first ? "; orders go to it from now" : "");
        }

        return unknown;
    }

    private (int Adopted, int Ended, List<VenueOrder> Unknown) ReconcileOrders(VenueCheck check, IVenueAccount account, IReadOnlyList<VenueOrder> open, long readAt)
    {
        int venueIndex = check.Venue;
        string venue = _routes[venueIndex].Venue;
        long nowMs = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        var unknown = new List<VenueOrder>();
        var restingIds = new HashSet<string>(StringComparer.Ordinal);
        var restingClientIds = new HashSet<string>(StringComparer.Ordinal);
        Dictionary<string, ManagedOrder> byVenueId = _orders.OrdersByVenueId(venueIndex);
        int adopted = 0;
        foreach (VenueOrder o in open)
        {
            restingIds.Add(o.VenueOrderId);
            if (o.ClientOrderId is not null)
            {
                restingClientIds.Add(o.ClientOrderId);
            }

            ManagedOrder? order = _orders.FindOrder(venueIndex, o.ClientOrderId, o.VenueOrderId, byVenueId);
            if (order is { IsDone: false, Restored: true, Adopted: false })
            {
                account.Adopt(order.Request, o.VenueOrderId, order.Filled, order.TradeIds);
                order.Adopt(o.VenueOrderId);
                adopted++;
            }
            else if (order is { IsDone: true } && order.DoneTimestamp < readAt)
            {
                // Done before the venue was read, yet it rests there (one that ended since is only a list read before its end).
                unknown.Add(o);
                _alerts.Raise("error", "reconcile", null, $"{venue}: order {order.Request.ClientOrderId} ({o.VenueOrderId}) is done in the fill log ({order.Status}) but still rests at the venue: cancelling it", nowMs);
            }
            else if (order is null && IsUnknownOfOurs(venueIndex, o))
            {
                unknown.Add(o);
                _alerts.Raise("error", "reconcile", null,
                    $"{venue}: resting order {o.VenueOrderId}{(o.ClientOrderId is { } cid ? $" (client id {cid})" : "")} on {o.MarketId} ({o.Side.ToString().ToLowerInvariant()} {o.Quantity} {o.Outcome.ToWireName()} at {o.LimitPrice}, {o.Filled} filled) is not in the fill log: cancelling it",
                    nowMs);
            }
        }

        int ended = 0;
        var unlisted = new HashSet<ManagedOrder>();
        foreach (ManagedOrder order in _orders.WorkingOn(venueIndex).ToList())
        {
            bool rests = (order.VenueOrderId is { } id && restingIds.Contains(id)) || restingClientIds.Contains(order.Request.ClientOrderId);
            if (rests)
            {
                continue;
            }

            if (order is { Restored: true, Adopted: false })
            {
                // The venue no longer rests it: it filled, was cancelled or expired while the engine was down (its fills are counted above).
                _orders.EndAsVenueSays(order, "ended at the venue while the engine was not running (found by reconciliation)");
                ended++;
            }
            else if (order.VenueOrderId is not null && order.SentTimestamp < readAt)
            {
                // The venue took it before its orders were read, yet does not list it: it ended there without a word reaching
                // the engine (cancelled on the website, by the venue, a lost message). Once may be a list read a moment
                // before the venue's own update; twice in a row is the venue's answer (its fills were read after the list).
                if (check.Unlisted.Contains(order))
                {
                    _alerts.Raise("warning", "reconcile", null,
                        $"{venue}: order {order.Request.ClientOrderId} ({order.VenueOrderId}) is working in the engine but the venue did not list it in two checks in a row: ended as the venue has it ({order.Filled} of {order.Request.Quantity} filled)",
                        nowMs);
                    _orders.EndAsVenueSays(order, "the venue no longer lists it (found by reconciliation)");
                    ended++;
                }
                else
                {
                    unlisted.Add(order);
                }
            }
        }

        check.Unlisted = unlisted;
        return (adopted, ended, unknown);
    }

    /// <summary>
    /// A resting order the engine has no record of, yet its own: with the engine's client id
    /// prefix; where the venue keeps no client id, any order on a market the engine trades there,
    /// unless one of the engine's orders on that market still waits for the venue's id (it may be that one).
    /// </summary>
    private bool IsUnknownOfOurs(int venueIndex, VenueOrder o)
    {
        if (o.ClientOrderId is not null)
        {
            return ClientOrderIds.TryParse(o.ClientOrderId, out _, out _);
        }

        bool trades = false;
        for (int m = 0; m < _kernel.Books.Count; m++)
        {
            MarketBook book = _kernel.Books[new MarketHandle(m)];
            trades |= book.VenueIndex == venueIndex && book.MarketId == o.MarketId;
        }

        return trades && !_orders.WorkingOn(venueIndex).Any(w => w.VenueOrderId is null && w.Request.MarketId == o.MarketId);
    }

    /// <summary>Compares every market of the venue; returns how many positions differ now.</summary>
    private int ComparePositions(int venueIndex, AccountReport report, long nowMs)
    {
        var atVenue = new Dictionary<(string Market, Outcome Outcome), Quantity>();
        foreach (VenuePosition p in report.Positions)
        {
            atVenue[(p.MarketId, p.Outcome)] = atVenue.GetValueOrDefault((p.MarketId, p.Outcome)) + p.Contracts;
        }

        string venue = _routes[venueIndex].Venue;
        var touchedEvents = new HashSet<int>();
        for (int m = 0; m < _kernel.Books.Count; m++)
        {
            MarketBook book = _kernel.Books[new MarketHandle(m)];
            if (book.VenueIndex != venueIndex
                || (_lastFillAt.TryGetValue(m, out long filledAt) && filledAt >= report.StartedTimestamp - s_settleTicks))
            {
                continue; // another venue's, or filled while (or just before) the venue was read: next time
            }

            if (_resolved.Contains(m) && book.IsStale)
            {
                continue; // resolved and settled here; the venue may still list the tokens until they are redeemed (Polymarket)
            }

            foreach (Outcome outcome in (ReadOnlySpan<Outcome>)[Outcome.Yes, Outcome.No])
            {
                Quantity engine = _inventory.Position(book.Handle, outcome);
                Quantity venueHeld = atVenue.GetValueOrDefault((book.MarketId, outcome));
                var key = (m, outcome);
                bool differed = _mismatches.TryGetValue(key, out var last);
                if (engine == venueHeld)
                {
                    if (differed)
                    {
                        _mismatches.Remove(key);
                        _log.PositionAgrees(venue, book.MarketId, outcome);
                        _alerts.Raise("info", "position_mismatch", EventName(book.Handle), $"{venue} {book.MarketId} {outcome.ToWireName()}: the venue and the fill log agree again ({engine} contracts)", nowMs);
                        touchedEvents.Add(_inventory.EventOf(book.Handle));
                    }

                    continue;
                }

                long since = differed ? last.SinceMs : nowMs;
                _mismatches[key] = (engine, venueHeld, since);
                _log.PositionMismatch(venue, book.MarketId, outcome, engine, venueHeld, since, nowMs);
                if (!differed || (last.Engine, last.Venue) != (engine, venueHeld))
                {
                    _alerts.Raise("error", "position_mismatch", EventName(book.Handle),
                        $"{venue} {book.MarketId} {outcome.ToWireName()}: the venue holds {venueHeld} contracts, the fill log {engine}; no orders on this event until they agree or `arbbot positions accept --venue {venue} --market {book.MarketId}` takes the venue's figure",
                        nowMs);
                }

                touchedEvents.Add(_inventory.EventOf(book.Handle));
            }
        }

        foreach (int e in touchedEvents.Where(e => e >= 0))
        {
            string? why = null;
            foreach (MarketHandle market in _inventory.MarketsOf(e))
            {
                foreach (Outcome outcome in (ReadOnlySpan<Outcome>)[Outcome.Yes, Outcome.No])
                {
                    if (_mismatches.TryGetValue((market.Value, outcome), out var d))
                    {
                        MarketBook book = _kernel.Books[market];
                        why ??= $"{book.VenueName} {book.MarketId} {outcome.ToWireName()}: the venue holds {d.Venue} contracts, the fill log {d.Engine}";
                    }
                }
            }

            if (why is null)
            {
                _gate.Unblock(e);
            }
            else
            {
                _gate.Block(e, why + " (arbbot positions accept takes the venue's figure)");
            }
        }

        return _mismatches.Keys.Count(k => _kernel.Books[new MarketHandle(k.Market)].VenueIndex == venueIndex);
    }

    /// <summary>
    /// An operator took the venue's figure: the log gets an adjustment fill (trade id
    /// <c>accept:ID</c>) that brings the engine's position to it. Added contracts are booked at the
    /// outcome's best ask now (what they would cost; $0.50 without a book), removed ones at their
    /// average cost (no profit or loss is made up).
    /// </summary>
    private void ApplyAccept(ExecutionRoute route, PositionAccept accept, long nowMs)
    {
        MarketBook? book = null;
        for (int m = 0; m < _kernel.Books.Count && book is null; m++)
        {
            MarketBook candidate = _kernel.Books[new MarketHandle(m)];
            book = candidate.VenueIndex == route.VenueIndex && candidate.MarketId == accept.MarketId ? candidate : null;
        }

        if (book is null)
        {
            _log.AcceptApplied(accept.Id, "not applied: the market is not configured", nowMs);
            return;
        }

        Quantity held = _inventory.Position(book.Handle, accept.Outcome);
        if (held == accept.AtVenue)
        {
            _log.AcceptApplied(accept.Id, "nothing to do: the log already agrees", nowMs);
            return;
        }

        bool add = accept.AtVenue > held;
        Quantity change = add ? accept.AtVenue - held : held - accept.AtVenue;
        Price price = add
            ? book.TryGetBestAsk(accept.Outcome, out PriceLevel ask) ? ask.Price : Price.FromMicros(500_000)
            : Price.FromMicros((long)((Int128)_inventory.Cost(book.Handle, accept.Outcome).Micros * 1_000_000 / Math.Max(1, held.Micros)));
        string id = $"accept:{accept.Id}";
        var fill = new Fill(id, "", id, book.Handle, accept.Outcome, add ? OrderSide.Buy : OrderSide.Sell, price, change, Money.Zero, false, nowMs);
        _inventory.OnFill(route.VenueIndex, fill); // now, so the comparison that follows sees it
        _log.FillReceived(fill, route.Venue, book.MarketId, null, nowMs);
        _log.AcceptApplied(accept.Id, $"{(add ? "added" : "removed")} {change} {accept.Outcome.ToWireName()} at {price} (was {held}, now {accept.AtVenue})", nowMs);
        _alerts.Raise("warning", "position_accept", EventName(book.Handle), $"{route.Venue} {book.MarketId} {accept.Outcome.ToWireName()}: the venue's figure {accept.AtVenue} accepted (was {held} in the fill log)", nowMs);
    }

    private string? EventName(MarketHandle market) => _inventory.EventOf(market) is int e and >= 0 ? _execution.EventId(e) : null;

    private sealed class VenueCheck(int venue)
    {
        public int Venue { get; } = venue;

        public Task? Running { get; set; }

        public string? Again { get; set; }

        public long LastStartedTimestamp { get; set; }

        public long LastSuccessMs { get; set; }

        /// <summary>Kernel thread: working orders of this run the last check did not find at the venue.</summary>
        public HashSet<ManagedOrder> Unlisted { get; set; } = new();

        public long Completed;

        public long Failed;
    }

    private sealed record AccountReport(
        string Why,
        IReadOnlyList<VenueOrder> Open,
        IReadOnlyList<VenueFill> Fills,
        IReadOnlyList<VenuePosition> Positions,
        Money? Balance,
        IReadOnlyList<PositionAccept> Accepts,
        int Missed,
        long StartedMs,
        long StartedTimestamp);
}
