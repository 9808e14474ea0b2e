namespace ArbBot.Engine.Risk.Checks;

/// <summary>Each venue's cash (the venue's own figure when live, the configured paper balance otherwise) covers the buys.</summary>
public sealed class BalanceCheck(Func<VenueCash?> cash) : IRiskCheck
{
    /// <inheritdoc/>
    public bool AppliesToRiskReducing => false;

    /// <inheritdoc/>
    public string? Check(RiskRequest request, out string detail)
    {
        if (cash()?.Shortfall(request.Group) is { } shortfall)
        {
            detail = shortfall;
            return RejectReason.InsufficientBalance;
        }

        detail = "";
        return null;
    }
}
