using ArbBot.Abstractions.Account;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Venues.Sim.Model;

namespace ArbBot.Venues.Sim;

/// <summary>
/// The simulated venue's own record of the account, kept as a real venue keeps one: every order
/// placed, every execution, and the positions they make (one signed position per market in the
/// Kalshi style, YES and NO apart in the Polymarket style). It sits between the matching engine
/// and the engine's sink, so it sees exactly what the engine is told, and answers the engine's
/// reconciliation from any thread.
/// </summary>
internal sealed class SimAccount : IExecutionEventSink
{
    private readonly IExecutionEventSink _engine;
    private readonly bool _netsOutcomes;
    private readonly object _gate = new();
    private readonly Dictionary<string, (OrderRequest Request, string? VenueId, Quantity Filled, bool Done)> _orders = new(StringComparer.Ordinal);
    private readonly List<(Fill Fill, string MarketId)> _fills = new();
    private readonly Dictionary<(string Market, Outcome Outcome), long> _positions = new();

    public SimAccount(IExecutionEventSink engine, SimStyle style)
    {
        _engine = engine;
        _netsOutcomes = style == SimStyle.Kalshi;
    }

    /// <summary>An order was handed to the matching engine.</summary>
    public void Placed(OrderRequest order)
    {
        lock (_gate)
        {
            _orders[order.ClientOrderId] = (order, null, Quantity.Zero, false);
        }
    }

    public void OnOrderUpdate(OrderUpdate update)
    {
        lock (_gate)
        {
            if (_orders.TryGetValue(update.ClientOrderId, out var o))
            {
                bool done = update.Status is OrderStatus.Filled or OrderStatus.Cancelled or OrderStatus.Rejected or OrderStatus.Expired;
                _orders[update.ClientOrderId] = (o.Request, update.VenueOrderId ?? o.VenueId, o.Filled, o.Done || done);
            }
        }

        _engine.OnOrderUpdate(update);
    }

    public void OnFill(Fill fill)
    {
        lock (_gate)
        {
            if (_orders.TryGetValue(fill.ClientOrderId, out var o))
            {
                _orders[fill.ClientOrderId] = (o.Request, o.VenueId ?? fill.VenueOrderId, o.Filled + fill.Quantity, o.Done);
                string market = o.Request.MarketId;
                _fills.Add((fill, market));
                long bought = fill.Side == OrderSide.Buy ? fill.Quantity.Micros : -fill.Quantity.Micros;
                if (_netsOutcomes)
                {
                    // One signed position: + long YES, - long NO (buying NO sells YES first).
                    _positions[(market, Outcome.Yes)] = _positions.GetValueOrDefault((market, Outcome.Yes)) + (fill.Outcome == Outcome.Yes ? bought : -bought);
                }
                else
                {
                    _positions[(market, fill.Outcome)] = _positions.GetValueOrDefault((market, fill.Outcome)) + bought;
                }
            }
        }

        _engine.OnFill(fill);
    }

    /// <summary>The market resolved: what was held there has been paid out, nothing is held any more.</summary>
    public void Resolved(string marketId)
    {
        lock (_gate)
        {
            _positions.Remove((marketId, Outcome.Yes));
            _positions.Remove((marketId, Outcome.No));
        }
    }

    public IReadOnlyList<VenueOrder> OpenOrders()
    {
        lock (_gate)
        {
            return _orders.Values
                .Where(o => !o.Done && o.VenueId is not null)
                .Select(o => new VenueOrder(o.VenueId!, o.Request.ClientOrderId, o.Request.MarketId, o.Request.Outcome, o.Request.Side, o.Request.LimitPrice, o.Request.Quantity, o.Filled))
                .ToList();
        }
    }

    public IReadOnlyList<VenueFill> FillsSince(long sinceMs)
    {
        lock (_gate)
        {
            return _fills.Where(f => f.Fill.TimestampMs >= sinceMs)
                .Select(f => new VenueFill(f.Fill.TradeId, f.Fill.VenueOrderId, f.Fill.ClientOrderId, f.MarketId, f.Fill.Outcome, f.Fill.Side, f.Fill.Price, f.Fill.Quantity, f.Fill.Fee, f.Fill.IsMaker, f.Fill.TimestampMs))
                .ToList();
        }
    }

    public IReadOnlyList<VenuePosition> Positions()
    {
        lock (_gate)
        {
            var list = new List<VenuePosition>();
            foreach (((string market, Outcome outcome), long micros) in _positions)
            {
                if (micros != 0)
                {
                    // In the Kalshi style the one signed position is kept under YES: negative is long NO.
                    list.Add(new VenuePosition(market, micros > 0 ? outcome : Outcome.No, Quantity.FromMicros(Math.Abs(micros))));
                }
            }

            return list;
        }
    }
}
