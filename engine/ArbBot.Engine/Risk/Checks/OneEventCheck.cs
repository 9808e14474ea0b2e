using ArbBot.Engine.Orders;

namespace ArbBot.Engine.Risk.Checks;

/// <summary>
/// Every leg of a group is on one event (one pair). Exposure, the legged policy and the unhedged
/// limit all count per event: a group over several events (a basket over an outcome group) would
/// be checked against its first leg's event alone, and each filled leg would look unhedged on its
/// own. Such groups are refused, whole, until exposure is counted over an outcome group.
/// </summary>
public sealed class OneEventCheck(Inventory inventory) : IRiskCheck
{
    /// <inheritdoc/>
    public bool AppliesToRiskReducing => true;

    /// <inheritdoc/>
    public string? Check(RiskRequest request, out string detail)
    {
        int first = request.EventIndex;
        for (int i = 0; i < request.Group.Legs.Count; i++)
        {
            int other = inventory.EventOf(request.Group.Legs[i].Market);
            if (other != first || other < 0)
            {
                detail = $"leg {i} is on another event than leg 0: exposure is counted per event, so a group over several events (a basket) is not sent";
                return RejectReason.SeveralEvents;
            }
        }

        detail = "";
        return null;
    }
}
