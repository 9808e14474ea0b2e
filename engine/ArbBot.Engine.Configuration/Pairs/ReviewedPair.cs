using ArbBot.Engine.Configuration;

namespace ArbBot.Engine.Pairing;

/// <summary>Where a pair stands in review. Only approved pairs trade.</summary>
public enum PairStatus
{
    /// <summary>Proposed by <c>arbbot markets pair</c>, not reviewed yet.</summary>
    Proposed,

    /// <summary>Reviewed and approved by someone (named in the file): it trades.</summary>
    Approved,

    /// <summary>Not the same contract (see its mismatches), or turned down by a reviewer.</summary>
    Rejected,
}

/// <summary>
/// One entry of a pairs file: the pair's legs (as in the config's <c>pairs:</c>), its review
/// status, who approved it and when, the score and the evidence pairing found, warnings to
/// check (<paramref name="Flags"/>) and the reasons it is not the same contract (<paramref name="Mismatches"/>).
/// </summary>
public sealed record ReviewedPair(
    PairConfig Pair,
    PairStatus Status,
    int? Score,
    string? ApprovedBy,
    string? ApprovedAt,
    IReadOnlyList<string> Evidence,
    IReadOnlyList<string> Flags,
    IReadOnlyList<string> Mismatches)
{
    /// <summary>The legs as one comparable text (venue, market and outcome ids), to recognise the same pair in two files.</summary>
    public string LegsKey => string.Join(" | ", Pair.Legs.OrderBy(l => l.Venue, StringComparer.Ordinal).Select(l => $"{l.Venue}:{l.Market}:{l.YesId}:{l.NoId}"));
}
