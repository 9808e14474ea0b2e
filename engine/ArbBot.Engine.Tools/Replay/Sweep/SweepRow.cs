using ArbBot.Abstractions.FixedPoint;

namespace ArbBot.Engine.Replay.Sweep;

/// <summary>What one replay of a sweep (one combination over one recording) produced.</summary>
/// <param name="Combination">The parameters it ran with.</param>
/// <param name="Recording">The recording's file name.</param>
/// <param name="Opportunities">Opportunities the strategies found.</param>
/// <param name="Fills">Paper fills.</param>
/// <param name="Realised">Profit or loss booked by sales and settlement.</param>
/// <param name="LockedIn">What the hedged positions pay at settlement less their cost.</param>
/// <param name="LeggedCost">What legged episodes cost, summed (negative: they gained).</param>
/// <param name="Unhedged">Cost of what was still unhedged at the end.</param>
/// <param name="Records">Records replayed.</param>
/// <param name="Seconds">Wall time of this replay alone.</param>
/// <param name="Problems">Warnings and what was not replayed (empty if none).</param>
/// <param name="Whole">Whether the whole recording was replayed (false: a damaged record ended it early).</param>
public sealed record SweepRow(
    SweepCombination Combination,
    string Recording,
    int Opportunities,
    int Fills,
    Money Realised,
    Money LockedIn,
    Money LeggedCost,
    Money Unhedged,
    long Records,
    double Seconds,
    IReadOnlyList<string> Problems,
    bool Whole)
{
    /// <summary>Realised plus locked in: what the combination made on this recording.</summary>
    public Money Pnl => Realised + LockedIn;

    /// <summary>The row of a finished replay.</summary>
    public static SweepRow Of(SweepCombination combination, ReplayResult result, double seconds)
    {
        ReplayPnlPoint? last = result.Pnl.Count == 0 ? null : result.Pnl[^1];
        Money legged = Money.Zero;
        foreach (ReplayLegged episode in result.Legged)
        {
            legged += episode.Loss ?? Money.Zero;
        }

        var problems = new List<string>(result.Warnings);
        if (result.Lost is { } lost && !problems.Contains(lost))
        {
            problems.Add(lost);
        }

        return new SweepRow(combination, result.Recording, result.Opportunities.Count, result.Fills.Count, last?.Realised ?? Money.Zero, last?.LockedIn ?? Money.Zero,
            legged, last?.Unhedged ?? Money.Zero, result.Records, seconds, problems, result.Lost is null);
    }
}
