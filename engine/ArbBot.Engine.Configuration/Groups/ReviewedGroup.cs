using ArbBot.Engine.Configuration;

namespace ArbBot.Engine.Pairing;

/// <summary>
/// One entry of a groups file: an event whose outcomes are separate markets (each outcome a pair
/// with a leg on one or more venues), its review status, whether a reviewer found it exhaustive,
/// who approved it and when, the evidence <c>arbbot markets groups</c> found, warnings to check
/// (<paramref name="Flags"/>) and the reasons it cannot trade as a group (<paramref name="Mismatches"/>).
/// </summary>
/// <param name="Group">The group as <c>groups:</c> in the config would hold it (its outcomes name <paramref name="Outcomes"/>).</param>
/// <param name="Outcomes">One pair per outcome.</param>
/// <param name="Status">Only an approved group trades.</param>
/// <param name="ApprovedBy">Who approved it.</param>
/// <param name="ApprovedAt">When (UTC, ISO 8601).</param>
/// <param name="Evidence">What the venues say that makes it a group.</param>
/// <param name="Flags">What a reviewer must check before marking it exhaustive.</param>
/// <param name="Mismatches">Why it is not a group at all (it cannot be approved).</param>
public sealed record ReviewedGroup(
    GroupConfig Group,
    IReadOnlyList<PairConfig> Outcomes,
    PairStatus Status,
    string? ApprovedBy,
    string? ApprovedAt,
    IReadOnlyList<string> Evidence,
    IReadOnlyList<string> Flags,
    IReadOnlyList<string> Mismatches)
{
    /// <summary>The outcomes' legs as one comparable text, to recognise the same group in two files.</summary>
    public string LegsKey => string.Join(" || ", Outcomes
        .Select(o => string.Join(" | ", o.Legs.OrderBy(l => l.Venue, StringComparer.Ordinal).Select(l => $"{l.Venue}:{l.Market}:{l.YesId}:{l.NoId}")))
        .Order(StringComparer.Ordinal));
}
