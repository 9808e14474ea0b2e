namespace ArbBot.Engine.Risk.Checks;

/// <summary>An event whose positions disagree with a venue's account takes no orders until they agree or are accepted.</summary>
public sealed class PositionMismatchCheck(AccountGate? account) : IRiskCheck
{
    /// <inheritdoc/>
    public bool AppliesToRiskReducing => true;

    /// <inheritdoc/>
    public string? Check(RiskRequest request, out string detail)
    {
        if (request.EventIndex >= 0 && account?.EventBlock(request.EventIndex) is { } block)
        {
            detail = block;
            return RejectReason.PositionMismatch;
        }

        detail = "";
        return null;
    }
}
