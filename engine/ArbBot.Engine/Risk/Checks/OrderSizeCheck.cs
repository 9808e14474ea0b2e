using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Orders;
using ArbBot.Abstractions.Strategies;
using ArbBot.Engine.Configuration;

namespace ArbBot.Engine.Risk.Checks;

/// <summary>No single order is over <c>max_order_usd</c> (hedges included); sums the buys for the exposure checks after it.</summary>
public sealed class OrderSizeCheck(RiskLimits limits) : IRiskCheck
{
    /// <inheritdoc/>
    public bool AppliesToRiskReducing => true;

    /// <inheritdoc/>
    public string? Check(RiskRequest request, out string detail)
    {
        Money buys = Money.Zero;
        foreach (OrderIntent leg in request.Group.Legs)
        {
            Money notional = Money.Of(leg.LimitPrice, leg.Quantity, Rounding.Up);
            if (notional > limits.MaxOrderUsd)
            {
                detail = $"order {leg.Quantity} at {leg.LimitPrice} = ${notional} is over max_order_usd ${limits.MaxOrderUsd}";
                return RejectReason.MaxOrder;
            }

            if (leg.Side == OrderSide.Buy)
            {
                buys += notional;
            }
        }

        request.BuyNotional = buys;
        detail = "";
        return null;
    }
}
