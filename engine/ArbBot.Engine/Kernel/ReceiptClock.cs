using System.Diagnostics;

namespace ArbBot.Engine.Kernel;

/// <summary>
/// Turns receipt timestamps (<see cref="Stopwatch.GetTimestamp"/>, which connectors take as a
/// message arrives) into Unix time, through one base taken once per process. The live engine's
/// "now" for a market event and the recording's stamp for the same message both come from here,
/// so a replay sees exactly the times the live run decided on.
/// </summary>
public static class ReceiptClock
{
    private static readonly long BaseTimestamp = Stopwatch.GetTimestamp();
    private static readonly long BaseUnixNanoseconds = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;

    /// <summary>The Unix time, in nanoseconds, of a <see cref="Stopwatch.GetTimestamp"/> value.</summary>
    public static long UnixNanoseconds(long timestamp) =>
        BaseUnixNanoseconds + (long)((Int128)(timestamp - BaseTimestamp) * 1_000_000_000 / Stopwatch.Frequency);

    /// <summary>The Unix time now, in nanoseconds.</summary>
    public static long UnixNanosecondsNow() => UnixNanoseconds(Stopwatch.GetTimestamp());
}
