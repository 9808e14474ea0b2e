using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Venues.Sim.Model;

namespace ArbBot.Venues.Sim.Matching;

/// <summary>
/// Matches our orders against a simulated venue's published book. Takers walk the book level by
/// level (partial fills, the book shrinks and the change is published); IOC keeps what filled and
/// cancels the rest; FOK fills whole or not at all; post-only is refused if it would take.
/// A resting order joins behind the size displayed at its price: reductions of that size
/// (trades against it) use up the queue ahead before reaching us, and a market that moves
/// through our price fills us as maker. Our own orders are not shown in the published book.
/// Runs on the venue's thread only.
/// </summary>
internal sealed class SimMatchingEngine
{
    private readonly SimStyle _style;
    private readonly Price _feeRate;
    private readonly Price _tick;
    private readonly IExecutionEventSink _output;
    private readonly string _idPrefix;
    private readonly Dictionary<string, RestingOrder> _resting = new(StringComparer.Ordinal);
    private readonly HashSet<string> _seenClientIds = new(StringComparer.Ordinal);
    private long _nextOrderId;
    private long _nextTradeId;

    public SimMatchingEngine(SimStyle style, Price tick, Price feeRate, IExecutionEventSink output, string idPrefix)
    {
        _style = style;
        _tick = tick;
        _feeRate = feeRate;
        _output = output;
        _idPrefix = idPrefix;
    }

    public int RestingCount => _resting.Count;

    public void Submit(SimBook? book, OrderRequest order, long nowMs)
    {
        string? problem = Validate(book, order);
        if (problem is not null)
        {
            _output.OnOrderUpdate(new OrderUpdate(order.ClientOrderId, null, OrderStatus.Rejected, Quantity.Zero, Quantity.Zero, problem, nowMs));
            return;
        }

        _seenClientIds.Add(order.ClientOrderId);
        string venueId = $"{_idPrefix}-{++_nextOrderId}";
        BookSide contra = order.Side == OrderSide.Buy ? BookSide.Ask : BookSide.Bid;
        List<(long Price, long Quantity)> crossing = Crossing(book!, order.Outcome, contra, order.LimitPrice.Micros);
        long available = 0;
        foreach ((_, long q) in crossing)
        {
            available += q;
        }

        if (order.PostOnly && crossing.Count > 0)
        {
            _output.OnOrderUpdate(new OrderUpdate(order.ClientOrderId, venueId, OrderStatus.Rejected, Quantity.Zero, Quantity.Zero, "post-only order would take liquidity", nowMs));
            return;
        }

        long wanted = order.Quantity.Micros;
        if (order.TimeInForce == TimeInForce.FillOrKill && available < wanted)
        {
            string reason = $"fill-or-kill: only {Quantity.FromMicros(available)} of {order.Quantity} available at {order.LimitPrice} or better";
            _output.OnOrderUpdate(new OrderUpdate(order.ClientOrderId, venueId, OrderStatus.Cancelled, Quantity.Zero, Quantity.Zero, reason, nowMs));
            return;
        }

        _output.OnOrderUpdate(new OrderUpdate(order.ClientOrderId, venueId, OrderStatus.Acked, Quantity.Zero, order.Quantity, null, nowMs));
        long filled = 0;
        var takes = new List<(long Price, long Quantity)>();
        Money feeSum = Money.Zero;
        foreach ((long price, long quantity) in crossing)
        {
            if (filled == wanted)
            {
                break;
            }

            long take = Math.Min(quantity, wanted - filled);
            filled += take;
            book!.Consume(order.Outcome, contra, price, take);
            takes.Add((price, take));
            feeSum += SimFees.TakerFill(_style, Price.FromMicros(price), Quantity.FromMicros(take), _feeRate);
        }

        // Each fill charged its own fee; the order's rounding is charged on the last fill, as the venue does.
        Money orderFee = SimFees.OrderTotal(_style, feeSum);
        Money charged = Money.Zero;
        for (int i = 0; i < takes.Count; i++)
        {
            Price price = Price.FromMicros(takes[i].Price);
            Quantity q = Quantity.FromMicros(takes[i].Quantity);
            Money fee = i == takes.Count - 1 ? orderFee - charged : SimFees.TakerFill(_style, price, q, _feeRate);
            charged += fee;
            EmitFill(order, venueId, price, takes[i].Quantity, fee, isMaker: false, nowMs);
        }

        long remaining = wanted - filled;
        if (remaining == 0)
        {
            _output.OnOrderUpdate(new OrderUpdate(order.ClientOrderId, venueId, OrderStatus.Filled, Quantity.FromMicros(filled), Quantity.Zero, null, nowMs));
        }
        else if (!order.TimeInForce.Rests())
        {
            _output.OnOrderUpdate(new OrderUpdate(order.ClientOrderId, venueId, OrderStatus.Cancelled, Quantity.FromMicros(filled), Quantity.Zero, "immediate-or-cancel remainder", nowMs));
        }
        else
        {
            BookSide own = order.Side == OrderSide.Buy ? BookSide.Bid : BookSide.Ask;
            long ahead = book!.QuantityAt(order.Outcome, own, order.LimitPrice.Micros);
            _resting[order.ClientOrderId] = new RestingOrder(order, venueId, book, remaining, filled, ahead);
            if (filled > 0)
            {
                _output.OnOrderUpdate(new OrderUpdate(order.ClientOrderId, venueId, OrderStatus.PartiallyFilled, Quantity.FromMicros(filled), Quantity.FromMicros(remaining), null, nowMs));
            }
        }
    }

    public void Cancel(string clientOrderId, long nowMs)
    {
        if (_resting.Remove(clientOrderId, out RestingOrder? order))
        {
            _output.OnOrderUpdate(new OrderUpdate(clientOrderId, order.VenueOrderId, OrderStatus.Cancelled, Quantity.FromMicros(order.Filled), Quantity.Zero, "cancelled by request", nowMs));
        }
        else
        {
            _output.OnOrderUpdate(new OrderUpdate(clientOrderId, null, OrderStatus.Rejected, Quantity.Zero, Quantity.Zero, "cancel refused: no such resting order (already filled, cancelled or unknown)", nowMs));
        }
    }

    /// <summary>The market resolved: its resting orders end (what filled stands).</summary>
    public void CancelMarket(string marketId, string reason, long nowMs)
    {
        foreach (RestingOrder order in _resting.Values.Where(o => o.Request.MarketId == marketId).ToList())
        {
            _resting.Remove(order.Request.ClientOrderId);
            _output.OnOrderUpdate(new OrderUpdate(order.Request.ClientOrderId, order.VenueOrderId, OrderStatus.Cancelled, Quantity.FromMicros(order.Filled), Quantity.Zero, reason, nowMs));
        }
    }

    /// <summary>Ends the good-till-date orders whose expiry has come (what is left of them; fills stand).</summary>
    public void ExpireDue(long nowMs)
    {
        if (_resting.Count == 0)
        {
            return;
        }

        List<RestingOrder>? expired = null;
        foreach (RestingOrder order in _resting.Values)
        {
            if (order.Request.TimeInForce == TimeInForce.GoodTillDate && order.Request.ExpiresAtMs <= nowMs)
            {
                (expired ??= new List<RestingOrder>()).Add(order);
            }
        }

        foreach (RestingOrder order in expired ?? [])
        {
            _resting.Remove(order.Request.ClientOrderId);
            _output.OnOrderUpdate(new OrderUpdate(order.Request.ClientOrderId, order.VenueOrderId, OrderStatus.Expired, Quantity.FromMicros(order.Filled), Quantity.Zero,
                order.Request.ExpiredReason, nowMs));
        }
    }

    /// <summary>After the venue changed a book: fill resting orders that the market reached or whose queue was traded through.</summary>
    public void OnBookChanged(SimBook book, IReadOnlyList<LevelChange> changes, long nowMs)
    {
        if (_resting.Count == 0)
        {
            return;
        }

        List<RestingOrder>? done = null;
        foreach (RestingOrder order in _resting.Values)
        {
            if (order.Book != book)
            {
                continue;
            }

            OrderRequest request = order.Request;
            BookSide own = request.Side == OrderSide.Buy ? BookSide.Bid : BookSide.Ask;
            (Outcome o, BookSide s, long p) = book.Physical(request.Outcome, own, request.LimitPrice.Micros);
            foreach (LevelChange change in changes)
            {
                if (change.Outcome == o && change.Side == s && change.PriceMicros == p
                    && change.NewQuantityMicros > 0 && change.NewQuantityMicros < change.OldQuantityMicros)
                {
                    order.QueueAhead -= change.OldQuantityMicros - change.NewQuantityMicros;
                }
            }

            if (order.QueueAhead < 0)
            {
                long take = Math.Min(order.Remaining, -order.QueueAhead);
                order.QueueAhead = 0;
                MakerFill(order, request.LimitPrice.Micros, take, nowMs);
            }

            BookSide contra = request.Side == OrderSide.Buy ? BookSide.Ask : BookSide.Bid;
            foreach ((long price, long quantity) in Crossing(book, request.Outcome, contra, request.LimitPrice.Micros))
            {
                if (order.Remaining == 0)
                {
                    break;
                }

                long take = Math.Min(quantity, order.Remaining);
                book.Consume(request.Outcome, contra, price, take);
                MakerFill(order, request.LimitPrice.Micros, take, nowMs);
            }

            if (order.Remaining == 0)
            {
                (done ??= new List<RestingOrder>()).Add(order);
            }
        }

        if (done is not null)
        {
            foreach (RestingOrder order in done)
            {
                _resting.Remove(order.Request.ClientOrderId);
                _output.OnOrderUpdate(new OrderUpdate(order.Request.ClientOrderId, order.VenueOrderId, OrderStatus.Filled, Quantity.FromMicros(order.Filled), Quantity.Zero, null, nowMs));
            }
        }
    }

    private void MakerFill(RestingOrder order, long price, long quantity, long nowMs)
    {
        if (quantity <= 0)
        {
            return;
        }

        order.Remaining -= quantity;
        order.Filled += quantity;
        EmitFill(order.Request, order.VenueOrderId, Price.FromMicros(price), quantity, Money.Zero, isMaker: true, nowMs); // makers pay nothing here
        if (order.Remaining > 0)
        {
            _output.OnOrderUpdate(new OrderUpdate(order.Request.ClientOrderId, order.VenueOrderId, OrderStatus.PartiallyFilled, Quantity.FromMicros(order.Filled), Quantity.FromMicros(order.Remaining), null, nowMs));
        }
    }

    private void EmitFill(OrderRequest order, string venueId, Price price, long quantity, Money fee, bool isMaker, long nowMs)
    {
        Quantity q = Quantity.FromMicros(quantity);
        _output.OnFill(new Fill(order.ClientOrderId, venueId, $"{_idPrefix}-T{++_nextTradeId}", order.Market, order.Outcome, order.Side, price, q, fee, isMaker, nowMs));
    }

    private static List<(long Price, long Quantity)> Crossing(SimBook book, Outcome outcome, BookSide contra, long limit)
    {
        var levels = new List<(long, long)>();
        foreach ((long price, long quantity) in book.LevelsBestFirst(outcome, contra))
        {
            bool crosses = contra == BookSide.Ask ? price <= limit : price >= limit;
            if (!crosses)
            {
                break;
            }

            levels.Add((price, quantity));
        }

        return levels;
    }

    private string? Validate(SimBook? book, OrderRequest order)
    {
        if (book is null)
        {
            return $"unknown market {order.MarketId}";
        }

        if (_seenClientIds.Contains(order.ClientOrderId))
        {
            return $"duplicate client order id {order.ClientOrderId}";
        }

        if (!order.LimitPrice.IsValidBinaryPrice)
        {
            return $"price {order.LimitPrice} is outside (0, 1)";
        }

        if (!order.LimitPrice.IsOnTick(_tick))
        {
            return $"price {order.LimitPrice} is not on the {_tick} tick";
        }

        if (!order.Quantity.IsPositive)
        {
            return $"quantity {order.Quantity} must be positive";
        }

        if (order.TimeInForce == TimeInForce.GoodTillDate && order.ExpiresAtMs == 0)
        {
            return "a good-till-date order needs an expiry";
        }

        return null;
    }
}
