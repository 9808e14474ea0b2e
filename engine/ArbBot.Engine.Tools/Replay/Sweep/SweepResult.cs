namespace ArbBot.Engine.Replay.Sweep;

/// <summary>A finished sweep: one row per combination and recording, and how long it took.</summary>
/// <param name="Axes">The swept parameters.</param>
/// <param name="Recordings">The recordings' file names, in the order given.</param>
/// <param name="Rows">By combination, then recording.</param>
/// <param name="WallSeconds">Wall time of the whole sweep.</param>
/// <param name="Parallelism">Replays run at once.</param>
public sealed record SweepResult(IReadOnlyList<SweepAxis> Axes, IReadOnlyList<string> Recordings, IReadOnlyList<SweepRow> Rows, double WallSeconds, int Parallelism)
{
    /// <summary>The replays' own wall times added up: what running them one after another would have taken.</summary>
    public double SerialSeconds => Rows.Sum(r => r.Seconds);
}
