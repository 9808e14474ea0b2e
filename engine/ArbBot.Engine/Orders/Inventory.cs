using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Engine.Books;
using ArbBot.Engine.Kernel;

namespace ArbBot.Engine.Orders;

/// <summary>
/// Positions and open order quantities per market and outcome, kept on the kernel thread from
/// fills and order updates. Whoever sends an order registers it with <see cref="OnOrderSent"/> so
/// later updates (which carry only the client order id) can be attributed.
/// </summary>
public sealed class Inventory : IKernelListener
{
    private readonly Dictionary<string, (OrderRequest Request, Quantity Remaining)> _open = new(StringComparer.Ordinal);
    private readonly HashSet<string> _seenTrades = new(StringComparer.Ordinal);
    private Quantity[] _positions = new Quantity[128];
    private Quantity[] _openQuantities = new Quantity[256];

    /// <summary>Net contracts held: bought minus sold.</summary>
    public Quantity Position(MarketHandle market, Outcome outcome)
    {
        int i = (market.Value * 2) + (int)outcome;
        return i < _positions.Length ? _positions[i] : Quantity.Zero;
    }

    /// <summary>Contracts still working in open orders.</summary>
    public Quantity OpenQuantity(MarketHandle market, Outcome outcome, OrderSide side)
    {
        int i = (market.Value * 4) + ((int)outcome * 2) + (int)side;
        return i < _openQuantities.Length ? _openQuantities[i] : Quantity.Zero;
    }

    /// <summary>An order was sent: count it as open until an update says otherwise.</summary>
    public void OnOrderSent(OrderRequest request)
    {
        _open[request.ClientOrderId] = (request, request.Quantity);
        AddOpen(request, request.Quantity);
    }

    /// <inheritdoc/>
    public void OnBookUpdated(MarketBook book)
    {
    }

    /// <inheritdoc/>
    public void OnOrderUpdate(int venueIndex, OrderUpdate update)
    {
        if (!_open.TryGetValue(update.ClientOrderId, out var entry))
        {
            return;
        }

        bool done = update.Status is OrderStatus.Filled or OrderStatus.Cancelled or OrderStatus.Rejected or OrderStatus.Expired;
        Quantity remaining = done ? Quantity.Zero : update.RemainingQuantity;
        AddOpen(entry.Request, remaining - entry.Remaining);
        if (done)
        {
            _open.Remove(update.ClientOrderId);
        }
        else
        {
            _open[update.ClientOrderId] = (entry.Request, remaining);
        }
    }

    /// <inheritdoc/>
    public void OnFill(int venueIndex, Fill fill)
    {
        if (!_seenTrades.Add(fill.TradeId))
        {
            return; // the same execution reported twice (a reconnect replay): count it once
        }

        int i = (fill.Market.Value * 2) + (int)fill.Outcome;
        Grow(ref _positions, i);
        _positions[i] += fill.Side == OrderSide.Buy ? fill.Quantity : -fill.Quantity;
    }

    /// <inheritdoc/>
    public void OnTimer(long nowTimestamp)
    {
    }

    private void AddOpen(OrderRequest request, Quantity change)
    {
        int i = (request.Market.Value * 4) + ((int)request.Outcome * 2) + (int)request.Side;
        Grow(ref _openQuantities, i);
        _openQuantities[i] += change;
    }

    private static void Grow(ref Quantity[] array, int index)
    {
        if (index >= array.Length)
        {
            Array.Resize(ref array, Math.Max(index + 1, array.Length * 2));
        }
    }
}
