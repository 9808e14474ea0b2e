namespace ArbBot.Engine.Risk.Checks;

/// <summary>Nothing new goes while the kill switch is engaged (hedges and unwinds still do).</summary>
public sealed class KillSwitchCheck(KillSwitch kill) : IRiskCheck
{
    /// <inheritdoc/>
    public bool AppliesToRiskReducing => false;

    /// <inheritdoc/>
    public string? Check(RiskRequest request, out string detail)
    {
        if (kill.State is { } state)
        {
            detail = $"kill switch engaged ({state.Mode}) by {state.Source}: {state.Reason}";
            return RejectReason.KillSwitch;
        }

        detail = "";
        return null;
    }
}
