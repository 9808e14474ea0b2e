using ArbBot.Abstractions.FixedPoint;
using ArbBot.Engine.Orders;
using ArbBot.Engine.Risk.Budget;

namespace ArbBot.Engine.Risk.Checks;

/// <summary>
/// The buys fit in this engine's grants of the exposure budget it shares with other engines
/// (<c>risk.shared_budget</c>): on the event (or outcome group) and in total. A buy that does not
/// fit asks for the room it lacks; Redis grants it within a round (100 ms) if no other engine holds
/// it, and the strategy's next decision can trade.
/// </summary>
public sealed class SharedBudgetCheck(Inventory inventory, SharedBudget budget) : IRiskCheck
{
    /// <inheritdoc/>
    public bool AppliesToRiskReducing => false;

    /// <inheritdoc/>
    public string? Check(RiskRequest request, out string detail)
    {
        Money notional = request.BuyNotional;
        if (request.EventIndex < 0)
        {
            detail = "the buys are on no configured event, and the shared budget is counted per event";
            return RejectReason.SharedBudget;
        }

        budget.ExpireIfStale(request.Now);
        int unit = budget.UnitOf(request.EventIndex);
        Money held = budget.Usage(unit);
        Money granted = budget.Granted(unit);
        if (held + notional > granted)
        {
            budget.Want(unit, held + notional - granted);
            detail = $"shared budget \"{budget.Options.Name}\" ({budget.Mode}): {budget.UnitNames[unit]} holds ${held} + ${notional}, granted ${granted}";
            return RejectReason.SharedBudget;
        }

        Money total = inventory.TotalExposure();
        if (total + notional > budget.TotalGranted)
        {
            budget.Want(unit, total + notional - budget.TotalGranted);
            detail = $"shared budget \"{budget.Options.Name}\" ({budget.Mode}): total exposure ${total} + ${notional}, granted ${budget.TotalGranted}";
            return RejectReason.SharedBudget;
        }

        detail = "";
        return null;
    }
}
