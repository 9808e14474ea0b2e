namespace ArbBot.Engine.Risk.Checks;

/// <summary>A legged event takes no new strategy orders until the legged policy has resolved it.</summary>
public sealed class LeggedEventCheck(Func<int, bool> isLegged) : IRiskCheck
{
    /// <inheritdoc/>
    public bool AppliesToRiskReducing => false;

    /// <inheritdoc/>
    public string? Check(RiskRequest request, out string detail)
    {
        if (request.EventIndex >= 0 && isLegged(request.EventIndex))
        {
            detail = "the event is legged; no new orders on it until the policy has resolved it";
            return RejectReason.EventLegged;
        }

        detail = "";
        return null;
    }
}
