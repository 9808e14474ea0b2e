using ArbBot.Engine.Configuration;

namespace ArbBot.Engine.Pairing;

/// <summary>
/// The review part of an entry of a reviewed file (pairs, groups): status, who approved it and
/// when, and what discovery found (evidence, flags, mismatches). An approval must name who made
/// it and cannot stand on an entry with mismatches.
/// </summary>
/// <param name="Status">Where the entry stands; only approved ones trade.</param>
/// <param name="ApprovedBy">Who approved it.</param>
/// <param name="ApprovedAt">When (UTC, ISO 8601).</param>
/// <param name="Evidence">What the venues say for it.</param>
/// <param name="Flags">What a reviewer must check.</param>
/// <param name="Mismatches">Why it cannot trade (it cannot be approved).</param>
internal sealed record ReviewFields(PairStatus Status, string? ApprovedBy, string? ApprovedAt, IReadOnlyList<string> Evidence, IReadOnlyList<string> Flags, IReadOnlyList<string> Mismatches)
{
    /// <summary>Reads the review keys of an entry (the caller rejects unknown keys, then calls <see cref="Check"/>).</summary>
    public static ReviewFields Read(YamlSection entry) => new(
        entry.OptionalString("status") switch
        {
            null or "proposed" => PairStatus.Proposed,
            "approved" => PairStatus.Approved,
            "rejected" => PairStatus.Rejected,
            string other => throw entry.Error(entry.Find("status")!, $"{entry.Qualify("status")} must be proposed, approved or rejected, was \"{other}\""),
        },
        Blank(entry.OptionalText("approved_by")),
        Blank(entry.OptionalText("approved_at")),
        entry.StringList("evidence"),
        entry.StringList("flags"),
        entry.StringList("mismatches"));

    /// <summary>An approval names who made it and stands on no mismatch; <paramref name="what"/> is "pair X" or "group X", <paramref name="whyNot"/> what a mismatch means for it.</summary>
    public void Check(YamlSection entry, string what, string whyNot)
    {
        if (Status == PairStatus.Approved && ApprovedBy is null)
        {
            throw entry.Error(entry.Find("status")!, $"{entry.Qualify("status")} is approved but approved_by is empty: name who reviewed {what}");
        }

        if (Status == PairStatus.Approved && Mismatches.Count > 0)
        {
            throw entry.Error(entry.Find("status")!, $"{entry.Qualify("status")}: {what} has mismatches ({string.Join("; ", Mismatches)}); {whyNot}");
        }
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
