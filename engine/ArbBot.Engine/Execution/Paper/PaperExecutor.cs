using ArbBot.Abstractions.Events;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Engine.Books;
using ArbBot.Engine.Kernel;

namespace ArbBot.Engine.Execution.Paper;

/// <summary>
/// Paper trading against a venue's live books, for venues without a simulator of their own.
/// An order or cancel takes effect after the configured latency, on the kernel thread, against
/// the book as it is then. Takers walk the book to their limit (fees from the venue's fee model);
/// liquidity we took is remembered until the venue's own update of that level arrives, so two
/// orders cannot both take the same contracts. A resting order joins behind the size displayed
/// at its price and fills as that size shrinks past it (trades or cancels ahead of us: the book
/// cannot tell them apart), when the venue's public trades reach its price (see <see cref="OnTrade"/>)
/// or when the other side crosses its price.
/// Acks and fills reach the engine through the venue's sink, exactly as a venue's would.
/// </summary>
public sealed class PaperExecutor : IOrderExecutor, IKernelListener
{
    private readonly EngineKernel _kernel;
    private readonly int _venueIndex;
    private readonly string _venue;
    private readonly IExecutionEventSink _sink;
    private readonly TimeSpan _latency;
    private readonly TimeProvider _clock;
    private readonly Dictionary<string, PaperOrder> _resting = new(StringComparer.Ordinal);
    private readonly HashSet<string> _seenIds = new(StringComparer.Ordinal);
    private readonly Dictionary<(int Market, Outcome Outcome, BookSide Side, long Price), (long Displayed, long Taken)> _taken = new();
    private readonly System.Threading.Channels.Channel<Report> _outbox = System.Threading.Channels.Channel.CreateUnbounded<Report>(new() { SingleReader = true });
    private readonly string _idPrefix;
    private long _nextOrder;
    private long _nextTrade;
    private volatile bool _disposed;

    /// <summary>Creates a paper executor for one venue.</summary>
    public PaperExecutor(EngineKernel kernel, int venueIndex, string venue, IExecutionEventSink sink, TimeSpan latency, TimeProvider clock)
    {
        _kernel = kernel;
        _venueIndex = venueIndex;
        _venue = venue;
        _sink = sink;
        _latency = latency;
        _clock = clock;
        _idPrefix = $"paper-{venue}-{clock.GetUtcNow().ToUnixTimeMilliseconds():x}"; // never repeats across restarts
        if (!kernel.IsInline)
        {
            _ = Task.Run(PostLoopAsync);
        }
    }

    /// <summary>Orders resting now (kernel thread).</summary>
    public int RestingCount => _resting.Count;

    /// <inheritdoc/>
    public ValueTask PlaceAsync(OrderRequest order, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        After(() => Place(order));
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask CancelAsync(string clientOrderId, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        After(() => Cancel(clientOrderId));
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _disposed = true;
        _outbox.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public void OnBookUpdated(MarketBook book)
    {
        if (book.VenueIndex != _venueIndex || _resting.Count == 0)
        {
            return;
        }

        List<Report>? reports = null;
        List<string>? done = null;
        foreach (PaperOrder order in _resting.Values)
        {
            if (order.Request.Market != book.Handle)
            {
                continue;
            }

            if (book.IsStale)
            {
                continue; // nothing can be learnt from a broken book; the order waits for the next snapshot
            }

            OrderRequest r = order.Request;
            BookSide own = r.Side == OrderSide.Buy ? BookSide.Bid : BookSide.Ask;
            long displayed = DisplayedAt(book, r.Outcome, own, r.LimitPrice);
            if (displayed < order.LastDisplayed)
            {
                long decrease = order.LastDisplayed - displayed;
                order.QueueAhead -= decrease;
                order.NoteDecrease(decrease, book.LastUpdateTimestamp);
            }

            order.LastDisplayed = displayed;
            long fill = 0;
            if (order.QueueAhead < 0)
            {
                fill = Math.Min(order.Remaining, -order.QueueAhead);
                order.QueueAhead = 0;
            }

            // The other side reached our price: whatever is displayed there trades with us.
            BookSide contra = r.Side == OrderSide.Buy ? BookSide.Ask : BookSide.Bid;
            for (int i = 0; i < book.LevelCount(r.Outcome, contra) && fill < order.Remaining; i++)
            {
                PriceLevel level = book.GetLevel(r.Outcome, contra, i);
                if (r.Side == OrderSide.Buy ? level.Price > r.LimitPrice : level.Price < r.LimitPrice)
                {
                    break;
                }

                fill += Math.Min(level.Quantity.Micros, order.Remaining - fill);
            }

            RestingFill(order, fill, book, ref reports, ref done);
        }

        if (done is not null)
        {
            foreach (string id in done)
            {
                _resting.Remove(id);
            }
        }

        Deliver(reports);
    }

    /// <summary>
    /// A public trade at or through a resting order's price. Through it (a seller below our bid,
    /// a buyer above our ask): everything at our price went first, ours included. At it: the
    /// trade takes the queue ahead of us and the rest is ours. A trade the book has already shown
    /// as a drop at our price is not counted twice; one it has not shown yet is expected there,
    /// so the drop, when it comes, is not counted again either. Trades also reveal what the book
    /// hides: a level traded and refilled in one message shows no drop at all.
    /// </summary>
    public void OnTrade(MarketBook book, in TradePrint trade)
    {
        if (book.VenueIndex != _venueIndex || _resting.Count == 0 || book.IsStale)
        {
            return;
        }

        List<Report>? reports = null;
        List<string>? done = null;
        foreach (PaperOrder order in _resting.Values)
        {
            OrderRequest r = order.Request;
            if (r.Market != book.Handle)
            {
                continue;
            }

            TradePrint t = trade.As(r.Outcome);
            bool reachesUs = r.Side == OrderSide.Buy
                ? t.Aggressor == OrderSide.Sell && t.Price <= r.LimitPrice
                : t.Aggressor == OrderSide.Buy && t.Price >= r.LimitPrice;
            if (!reachesUs)
            {
                continue;
            }

            long fill;
            if (t.Price != r.LimitPrice)
            {
                fill = order.Remaining;
            }
            else
            {
                long unseen = t.Size.Micros - order.TakeDecrease(t.Size.Micros, t.ReceivedTimestamp);
                order.QueueAhead -= unseen;
                order.LastDisplayed = Math.Max(0, order.LastDisplayed - unseen);
                fill = order.QueueAhead < 0 ? Math.Min(order.Remaining, -order.QueueAhead) : 0;
                order.QueueAhead = Math.Max(0, order.QueueAhead);
            }

            RestingFill(order, fill, book, ref reports, ref done);
        }

        foreach (string id in done ?? [])
        {
            _resting.Remove(id);
        }

        Deliver(reports);
    }

    /// <inheritdoc/>
    public void OnOrderUpdate(int venueIndex, OrderUpdate update)
    {
    }

    /// <inheritdoc/>
    public void OnFill(int venueIndex, Fill fill)
    {
    }

    /// <inheritdoc/>
    public void OnTimer(long nowTimestamp)
    {
    }

    private void RestingFill(PaperOrder order, long fill, MarketBook book, ref List<Report>? reports, ref List<string>? done)
    {
        if (fill <= 0)
        {
            return;
        }

        OrderRequest r = order.Request;
        reports ??= new List<Report>();
        order.Remaining -= fill;
        order.Filled += fill;
        Quantity q = Quantity.FromMicros(fill);
        reports.Add(Report.OfFill(new Fill(r.ClientOrderId, order.VenueOrderId, NextTrade(), r.Market, r.Outcome, r.Side, r.LimitPrice, q, book.Fees.MakerFee(r.LimitPrice, q), true, NowMs())));
        OrderStatus status = order.Remaining == 0 ? OrderStatus.Filled : OrderStatus.PartiallyFilled;
        reports.Add(Report.OfUpdate(new OrderUpdate(r.ClientOrderId, order.VenueOrderId, status, Quantity.FromMicros(order.Filled), Quantity.FromMicros(order.Remaining), null, NowMs())));
        if (order.Remaining == 0)
        {
            (done ??= new List<string>()).Add(r.ClientOrderId);
        }
    }

    private void After(Action work) => After(work, _latency);

    private void After(Action work, TimeSpan delay)
    {
        // The delay runs on a timer; the work itself runs on the kernel thread, where the books live.
        // The engine's clock runs the timer, so during replay the latency passes in recorded time.
        ITimer? timer = null;
        timer = _clock.CreateTimer(_ =>
        {
            _kernel.Post(KernelEvent.ForCommand(work));
            timer?.Dispose();
        }, null, delay, Timeout.InfiniteTimeSpan);
    }

    /// <summary>A good-till-date order's time has come: what is left of it ends, as the venue would end it.</summary>
    private void Expire(string clientOrderId)
    {
        if (_resting.Remove(clientOrderId, out PaperOrder? order))
        {
            Deliver([Report.OfUpdate(new OrderUpdate(clientOrderId, order.VenueOrderId, OrderStatus.Expired, Quantity.FromMicros(order.Filled), Quantity.Zero,
                order.Request.ExpiredReason, NowMs()))]);
        }
    }

    private void Place(OrderRequest r)
    {
        var reports = new List<Report>();
        string? problem = Validate(r);
        if (problem is not null)
        {
            reports.Add(Report.OfUpdate(new OrderUpdate(r.ClientOrderId, null, OrderStatus.Rejected, Quantity.Zero, Quantity.Zero, problem, NowMs())));
            Deliver(reports);
            return;
        }

        _seenIds.Add(r.ClientOrderId);
        MarketBook book = _kernel.Books[r.Market];
        string venueId = $"{_idPrefix}-{++_nextOrder}";
        BookSide contra = r.Side == OrderSide.Buy ? BookSide.Ask : BookSide.Bid;
        long available = 0;
        int levels = book.LevelCount(r.Outcome, contra);
        for (int i = 0; i < levels; i++)
        {
            PriceLevel level = book.GetLevel(r.Outcome, contra, i);
            if (!Crosses(r, level.Price))
            {
                break;
            }

            available += Left(book, r.Outcome, contra, level);
        }

        if (r.PostOnly && available > 0)
        {
            reports.Add(Report.OfUpdate(new OrderUpdate(r.ClientOrderId, venueId, OrderStatus.Rejected, Quantity.Zero, Quantity.Zero, "post-only order would take liquidity", NowMs())));
            Deliver(reports);
            return;
        }

        if (r.TimeInForce == TimeInForce.FillOrKill && available < r.Quantity.Micros)
        {
            reports.Add(Report.OfUpdate(new OrderUpdate(r.ClientOrderId, venueId, OrderStatus.Cancelled, Quantity.Zero, Quantity.Zero,
                $"fill-or-kill: only {Quantity.FromMicros(available)} of {r.Quantity} available at {r.LimitPrice} or better", NowMs())));
            Deliver(reports);
            return;
        }

        reports.Add(Report.OfUpdate(new OrderUpdate(r.ClientOrderId, venueId, OrderStatus.Acked, Quantity.Zero, r.Quantity, null, NowMs())));
        long filled = 0;
        Money feeSum = Money.Zero;
        var fills = new List<(Price Price, long Quantity)>();
        for (int i = 0; i < levels && filled < r.Quantity.Micros; i++)
        {
            PriceLevel level = book.GetLevel(r.Outcome, contra, i);
            if (!Crosses(r, level.Price))
            {
                break;
            }

            long take = Math.Min(Left(book, r.Outcome, contra, level), r.Quantity.Micros - filled);
            if (take <= 0)
            {
                continue;
            }

            Take(book, r.Outcome, contra, level, take);
            filled += take;
            fills.Add((level.Price, take));
            feeSum += book.Fees.TakerFill(level.Price, Quantity.FromMicros(take));
        }

        // Fees per fill, then the venue's rounding of the order's total charged on the last fill.
        Money orderFee = fills.Count > 0 ? book.Fees.RoundOrderTotal(feeSum) : Money.Zero;
        Money charged = Money.Zero;
        for (int i = 0; i < fills.Count; i++)
        {
            Quantity q = Quantity.FromMicros(fills[i].Quantity);
            Money fee = i == fills.Count - 1 ? orderFee - charged : book.Fees.TakerFill(fills[i].Price, q);
            charged += fee;
            reports.Add(Report.OfFill(new Fill(r.ClientOrderId, venueId, NextTrade(), r.Market, r.Outcome, r.Side, fills[i].Price, q, fee, false, NowMs())));
        }

        long remaining = r.Quantity.Micros - filled;
        if (remaining == 0)
        {
            reports.Add(Report.OfUpdate(new OrderUpdate(r.ClientOrderId, venueId, OrderStatus.Filled, r.Quantity, Quantity.Zero, null, NowMs())));
        }
        else if (!r.TimeInForce.Rests())
        {
            reports.Add(Report.OfUpdate(new OrderUpdate(r.ClientOrderId, venueId, OrderStatus.Cancelled, Quantity.FromMicros(filled), Quantity.Zero, "immediate-or-cancel remainder", NowMs())));
        }
        else
        {
            BookSide own = r.Side == OrderSide.Buy ? BookSide.Bid : BookSide.Ask;
            long displayed = DisplayedAt(book, r.Outcome, own, r.LimitPrice);
            _resting[r.ClientOrderId] = new PaperOrder(r, venueId, remaining, filled, displayed);
            if (r.TimeInForce == TimeInForce.GoodTillDate)
            {
                After(() => Expire(r.ClientOrderId), TimeSpan.FromMilliseconds(Math.Max(0, r.ExpiresAtMs - NowMs())));
            }

            if (filled > 0)
            {
                reports.Add(Report.OfUpdate(new OrderUpdate(r.ClientOrderId, venueId, OrderStatus.PartiallyFilled, Quantity.FromMicros(filled), Quantity.FromMicros(remaining), null, NowMs())));
            }
        }

        Deliver(reports);
    }

    private void Cancel(string clientOrderId)
    {
        var reports = new List<Report>(1);
        if (_resting.Remove(clientOrderId, out PaperOrder? order))
        {
            reports.Add(Report.OfUpdate(new OrderUpdate(clientOrderId, order.VenueOrderId, OrderStatus.Cancelled, Quantity.FromMicros(order.Filled), Quantity.Zero, "cancelled by request", NowMs())));
        }
        else
        {
            reports.Add(Report.OfUpdate(new OrderUpdate(clientOrderId, null, OrderStatus.Rejected, Quantity.Zero, Quantity.Zero, "cancel refused: no such resting order (already filled, cancelled or unknown)", NowMs())));
        }

        Deliver(reports);
    }

    private string? Validate(OrderRequest r)
    {
        if (!_kernel.Books.Contains(r.Market) || _kernel.Books[r.Market].VenueIndex != _venueIndex)
        {
            return $"unknown market {r.MarketId} on {_venue}";
        }

        MarketBook book = _kernel.Books[r.Market];
        if (_seenIds.Contains(r.ClientOrderId))
        {
            return $"duplicate client order id {r.ClientOrderId}";
        }

        if (book.IsStale)
        {
            return $"book {r.MarketId} is stale ({book.StaleReason}): the paper executor cannot price the order";
        }

        if (!r.LimitPrice.IsValidBinaryPrice)
        {
            return $"price {r.LimitPrice} is outside (0, 1)";
        }

        if (!r.LimitPrice.IsOnTick(book.Tick))
        {
            return $"price {r.LimitPrice} is not on the {book.Tick} tick";
        }

        if (r.TimeInForce == TimeInForce.GoodTillDate && r.ExpiresAtMs <= NowMs())
        {
            return r.ExpiresAtMs == 0 ? "a good-till-date order needs an expiry" : "the good-till-date order's expiry has already passed";
        }

        return r.Quantity.IsPositive ? null : $"quantity {r.Quantity} must be positive";
    }

    private static bool Crosses(OrderRequest r, Price levelPrice) =>
        r.Side == OrderSide.Buy ? levelPrice <= r.LimitPrice : levelPrice >= r.LimitPrice;

    private static long DisplayedAt(MarketBook book, Outcome outcome, BookSide side, Price price)
    {
        int count = book.LevelCount(outcome, side);
        for (int i = 0; i < count; i++)
        {
            PriceLevel level = book.GetLevel(outcome, side, i);
            if (level.Price == price)
            {
                return level.Quantity.Micros;
            }
        }

        return 0;
    }

    private long Left(MarketBook book, Outcome outcome, BookSide side, PriceLevel level)
    {
        // What we took stays taken until the venue's own update of that level shows a new size.
        var key = (book.Handle.Value, outcome, side, level.Price.Micros);
        return _taken.TryGetValue(key, out var taken) && taken.Displayed == level.Quantity.Micros
            ? Math.Max(0, level.Quantity.Micros - taken.Taken)
            : level.Quantity.Micros;
    }

    private void Take(MarketBook book, Outcome outcome, BookSide side, PriceLevel level, long quantity)
    {
        var key = (book.Handle.Value, outcome, side, level.Price.Micros);
        long already = _taken.TryGetValue(key, out var taken) && taken.Displayed == level.Quantity.Micros ? taken.Taken : 0;
        _taken[key] = (level.Quantity.Micros, already + quantity);
    }

    private string NextTrade() => $"{_idPrefix}-T{++_nextTrade}";

    private long NowMs() => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    private void Deliver(List<Report>? reports)
    {
        if (reports is null || reports.Count == 0)
        {
            return;
        }

        foreach (Report report in reports)
        {
            if (_kernel.IsInline)
            {
                Post(report); // replay: the queue is unbounded and the order of events must not depend on a thread
            }
            else
            {
                _outbox.Writer.TryWrite(report);
            }
        }
    }

    private async Task PostLoopAsync()
    {
        // One poster, in order, off the kernel thread: the kernel must never wait on its own full queue.
        await foreach (Report report in _outbox.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            Post(report);
        }
    }

    private void Post(Report report)
    {
        if (report.Fill is not null)
        {
            _sink.OnFill(report.Fill);
        }
        else
        {
            _sink.OnOrderUpdate(report.Update!);
        }
    }

    private sealed record Report(OrderUpdate? Update, Fill? Fill)
    {
        public static Report OfUpdate(OrderUpdate update) => new(update, null);

        public static Report OfFill(Fill fill) => new(null, fill);
    }

    private sealed class PaperOrder
    {
        public PaperOrder(OrderRequest request, string venueOrderId, long remaining, long filled, long queueAhead)
        {
            Request = request;
            VenueOrderId = venueOrderId;
            Remaining = remaining;
            Filled = filled;
            QueueAhead = queueAhead;
            LastDisplayed = queueAhead;
        }

        public OrderRequest Request { get; }

        public string VenueOrderId { get; }

        public long Remaining { get; set; }

        public long Filled { get; set; }

        public long QueueAhead { get; set; }

        public long LastDisplayed { get; set; }

        /// <summary>Drops at our price not yet matched to a trade, and when the last was seen (Stopwatch ticks).</summary>
        private long _unmatchedDrop;
        private long _dropSeenAt;

        public void NoteDecrease(long decrease, long at)
        {
            _unmatchedDrop = Fresh(at) ? _unmatchedDrop + decrease : decrease;
            _dropSeenAt = at;
        }

        /// <summary>How much of a trade of <paramref name="size"/> the book already showed as a drop (a drop older than a second is not matched).</summary>
        public long TakeDecrease(long size, long at)
        {
            long matched = Fresh(at) ? Math.Min(size, _unmatchedDrop) : 0;
            _unmatchedDrop -= matched;
            return matched;
        }

        private bool Fresh(long at) => at - _dropSeenAt < System.Diagnostics.Stopwatch.Frequency;
    }
}
