using ArbBot.Abstractions.FixedPoint;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Orders;

namespace ArbBot.Engine.Risk.Checks;

/// <summary>
/// The buys keep the event's exposure under <c>max_event_exposure_usd</c> (an outcome group's
/// outcomes counted as one event), the total under <c>max_total_exposure_usd</c>, and what is
/// unhedged under <c>max_unhedged_usd</c> (a single order, a maker quote, is unhedged by nature
/// until its hedge fills; a complete pair or basket is not).
/// </summary>
public sealed class ExposureCheck(Inventory inventory, RiskLimits limits) : IRiskCheck
{
    /// <inheritdoc/>
    public bool AppliesToRiskReducing => false;

    /// <inheritdoc/>
    public string? Check(RiskRequest request, out string detail)
    {
        Money notional = request.BuyNotional;
        if (request.EventIndex >= 0)
        {
            Money gross = request.OutcomeGroup >= 0 ? inventory.GroupExposureOf(request.OutcomeGroup).GrossExposure : inventory.ExposureOf(request.EventIndex).GrossExposure;
            if (gross + notional > limits.MaxEventExposureUsd)
            {
                detail = $"event exposure ${gross} + ${notional} would pass max_event_exposure_usd ${limits.MaxEventExposureUsd}";
                return RejectReason.MaxEventExposure;
            }
        }

        Money total = inventory.TotalExposure();
        if (total + notional > limits.MaxTotalExposureUsd)
        {
            detail = $"total exposure ${total} + ${notional} would pass max_total_exposure_usd ${limits.MaxTotalExposureUsd}";
            return RejectReason.MaxTotalExposure;
        }

        Money unhedged = inventory.TotalUnhedgedCost();
        Money adds = request.IsCompleteSet ? Money.Zero : notional;
        if (unhedged + adds > limits.MaxUnhedgedUsd)
        {
            detail = $"unhedged exposure ${unhedged} + ${adds} would pass max_unhedged_usd ${limits.MaxUnhedgedUsd}";
            return RejectReason.MaxUnhedged;
        }

        detail = "";
        return null;
    }
}
