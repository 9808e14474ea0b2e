using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Abstractions.Strategies;
using ArbBot.Engine.Books;
using ArbBot.Engine.Execution;
using ArbBot.Engine.Kernel;
using ArbBot.Engine.Orders;

namespace ArbBot.Engine.Replay;

/// <summary>
/// Gathers what a replay did, on the kernel thread: opportunities as the strategies find them,
/// how each attempt ended, fills, and P&amp;L whenever it changed (checked on each kernel tick).
/// </summary>
internal sealed class ReplayCollector : IKernelListener
{
    private readonly ReplayResult _result;
    private readonly BookStore _books;
    private readonly Inventory _inventory;
    private readonly TimeProvider _clock;
    private readonly Dictionary<long, ReplayOpportunity> _byGroup = new();
    private readonly Dictionary<string, ReplayOrder> _orders = new(StringComparer.Ordinal);
    private ReplayPnlPoint? _lastPnl;

    public ReplayCollector(ReplayResult result, BookStore books, Inventory inventory, TimeProvider clock)
    {
        _result = result;
        _books = books;
        _inventory = inventory;
        _clock = clock;
    }

    public void OnOpportunity(IntentGroup group)
    {
        var legs = new List<ReplayLeg>(group.Legs.Count);
        Quantity size = Quantity.Zero;
        foreach (OrderIntent leg in group.Legs)
        {
            MarketBook book = _books[leg.Market];
            legs.Add(new ReplayLeg(book.VenueName, book.MarketId, leg.Outcome.ToWireName(), leg.Side == OrderSide.Buy ? "buy" : "sell", leg.LimitPrice, leg.Quantity));
            size = size.Micros == 0 || leg.Quantity < size ? leg.Quantity : size;
        }

        // Edge per contract, exact: the group's edge over the smallest leg, rounded toward zero to a micro-dollar.
        Money perContract = size.Micros == 0 ? Money.Zero : Money.FromMicros((long)((Int128)group.ExpectedEdge.Micros * 1_000_000 / size.Micros));
        var opportunity = new ReplayOpportunity(group.CreatedMs, group.Strategy, group.EventId, group.Id, group.ExpectedEdge, perContract, group.Reason, legs);
        _result.Opportunities.Add(opportunity);
        _byGroup[group.Id] = opportunity;
    }

    public void OnAttemptEnded(AttemptOutcome outcome)
    {
        _result.AttemptOutcomes[outcome.Outcome] = _result.AttemptOutcomes.GetValueOrDefault(outcome.Outcome) + 1;
        if (_byGroup.Remove(outcome.GroupId, out ReplayOpportunity? opportunity))
        {
            opportunity.Outcome = outcome.Outcome;
            opportunity.OutcomeDetail = outcome.Detail;
        }
    }

    public void OnBookUpdated(MarketBook book)
    {
    }

    public bool WantsBookUpdates => false;

    public void OnOrderSent(OrderRequest request, long nowMs)
    {
        MarketBook book = _books[request.Market];
        var order = new ReplayOrder(nowMs, book.VenueName, book.MarketId, request.Outcome.ToWireName(), request.Side == OrderSide.Buy ? "buy" : "sell",
            request.LimitPrice, request.Quantity, Execution.WireNames.Of(request.TimeInForce), request.PostOnly, request.ClientOrderId);
        _result.Orders.Add(order);
        _orders[request.ClientOrderId] = order;
    }

    public void OnOrderUpdate(int venueIndex, OrderUpdate update)
    {
        if (_orders.TryGetValue(update.ClientOrderId, out ReplayOrder? order))
        {
            order.Status = update.Status == OrderStatus.PartiallyFilled ? "partially_filled" : update.Status.ToString().ToLowerInvariant();
            order.Filled = update.FilledQuantity;
            order.Reason = update.Reason ?? order.Reason;
        }
    }

    public void OnFill(int venueIndex, Fill fill)
    {
        MarketBook book = _books[fill.Market];
        _result.Fills.Add(new ReplayFill(fill.TimestampMs, book.VenueName, book.MarketId, fill.Outcome.ToWireName(), fill.Side == OrderSide.Buy ? "buy" : "sell",
            fill.Price, fill.Quantity, fill.Fee, fill.IsMaker, fill.ClientOrderId));
    }

    public void OnTimer(long nowTimestamp) => SamplePnl();

    /// <summary>Adds a P&amp;L point if anything changed since the last one.</summary>
    public void SamplePnl()
    {
        var point = new ReplayPnlPoint(_clock.GetUtcNow().ToUnixTimeMilliseconds(), _inventory.Realised, _inventory.TotalLockedIn(), _inventory.TotalUnhedgedCost());
        if (_lastPnl is null || point.Realised != _lastPnl.Realised || point.LockedIn != _lastPnl.LockedIn || point.Unhedged != _lastPnl.Unhedged)
        {
            _result.Pnl.Add(point);
            _lastPnl = point;
        }
    }
}
