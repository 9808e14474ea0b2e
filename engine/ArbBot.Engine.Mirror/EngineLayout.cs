namespace ArbBot.Engine.Mirror;

/// <summary>
/// The pairs an engine runs and each venue's fee model, as the dashboard needs them to show the
/// same pairs and charge the same fees. It changes only when the engine is reconfigured, so the
/// mirror writes it on change (and after each reconnect), not every second.
/// </summary>
/// <param name="Pairs">Event id and its legs, "venue:market" separated by spaces, in the engine's order.</param>
/// <param name="Fees">Venue name and its fee model's fields (model, multiplier, maker_fees, rate).</param>
public sealed record EngineLayout(
    IReadOnlyList<KeyValuePair<string, string>> Pairs,
    IReadOnlyList<KeyValuePair<string, IReadOnlyList<KeyValuePair<string, string>>>> Fees)
{
    /// <summary>Splits a pair's legs as written in <see cref="Pairs"/> into venue and market.</summary>
    public static IReadOnlyList<(string Venue, string Market)> ParseLegs(string legs) =>
        legs.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(leg => leg.IndexOf(':', StringComparison.Ordinal) is int colon and > 0 ? (leg[..colon], leg[(colon + 1)..]) : (leg, ""))
            .ToList();

    /// <summary>Writes legs as <see cref="Pairs"/> holds them.</summary>
    public static string FormatLegs(IEnumerable<(string Venue, string Market)> legs) => string.Join(' ', legs.Select(l => $"{l.Venue}:{l.Market}"));
}
