using ArbBot.Engine.Risk.Ownership;

namespace ArbBot.Engine.Risk.Checks;

/// <summary>
/// With <c>engine.ownership_lease</c>, only the engine that owns a pair trades it, hedges and unwinds
/// included: two engines must never trade one pair under the same lease.
/// </summary>
public sealed class OwnershipCheck(PairOwnership ownership) : IRiskCheck
{
    /// <inheritdoc/>
    public bool AppliesToRiskReducing => true;

    /// <inheritdoc/>
    public string? Check(RiskRequest request, out string detail)
    {
        if (ownership.Owns(request.EventIndex, request.Now))
        {
            detail = "";
            return null;
        }

        detail = request.EventIndex < 0
            ? "the legs are on no configured pair"
            : $"this engine does not own {ownership.EventIds[request.EventIndex]} now (another engine does, or its lease was not renewed)";
        return RejectReason.NotOwner;
    }
}
