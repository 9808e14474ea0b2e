namespace ArbBot.Engine.Risk;

/// <summary>
/// One named pre-trade check. <see cref="RiskEngine"/> runs its checks in a fixed order and stops
/// at the first that refuses. A check allocates nothing when it passes.
/// </summary>
public interface IRiskCheck
{
    /// <summary>Whether the check also applies to a group that reduces risk (a hedge, an unwind).</summary>
    bool AppliesToRiskReducing { get; }

    /// <summary>Returns null when the group passes, else a <see cref="RejectReason"/> and a sentence in <paramref name="detail"/>.</summary>
    string? Check(RiskRequest request, out string detail);
}
