namespace ArbBot.Engine.Risk.Checks;

/// <summary>A group must have legs.</summary>
public sealed class EmptyGroupCheck : IRiskCheck
{
    /// <inheritdoc/>
    public bool AppliesToRiskReducing => true;

    /// <inheritdoc/>
    public string? Check(RiskRequest request, out string detail)
    {
        detail = request.Group.Legs.Count == 0 ? "group has no legs" : "";
        return request.Group.Legs.Count == 0 ? RejectReason.Empty : null;
    }
}
