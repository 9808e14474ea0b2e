namespace ArbBot.Venues.Sim.Model;

/// <summary>
/// The shared "true" probability of each simulated event, as a pure function of (seed, event,
/// time): two venues with the same seed see the same path without talking to each other, and
/// a test can ask for any moment. Smooth drift from interpolated hash noise, plus occasional
/// pulses (a jump away and back a few seconds later) that lagging venues are slow to follow.
/// </summary>
internal sealed class FairValue
{
    private const long PulseWindowMs = 5_000;
    private readonly ulong _seed;
    private readonly int _events;
    private readonly ulong _pulseThreshold;
    private readonly long _pulseSize;

    public FairValue(ulong seed, int events, int jumpsPerMinute, long jumpSizeMicros)
    {
        _seed = seed;
        _pulseSize = jumpSizeMicros;
        _events = events;

        // Each pulse makes two jumps; there are 12 windows per event per minute.
        ulong windowsPerMinute = 24UL * (ulong)events;
        _pulseThreshold = (ulong)jumpsPerMinute >= windowsPerMinute
            ? ulong.MaxValue
            : ulong.MaxValue / windowsPerMinute * (ulong)jumpsPerMinute;
    }

    /// <summary>Fair YES price of an event at a Unix time, in micro-dollars, within [0.05, 0.95].</summary>
    public long At(int eventIndex, long unixMs)
    {
        ulong e = (ulong)eventIndex;
        long baseValue = 200_000 + (long)(Hash(_seed, e, 0, 1) % 600_001); // $0.20 .. $0.80
        long value = baseValue
            + Smooth(e, unixMs, 20_000, 60_000)  // slow drift, +/- $0.06 over 20 s
            + Smooth(e, unixMs, 2_000, 8_000);   // fast wiggle, +/- $0.008 over 2 s

        long window = Math.DivRem(unixMs, PulseWindowMs, out long into);
        ulong roll = Hash(_seed, e, (ulong)window, 2);
        if (roll < _pulseThreshold && into >= PulseWindowMs / 5)
        {
            value += (Hash(_seed, e, (ulong)window, 3) & 1) == 0 ? _pulseSize : -_pulseSize;
        }

        return Math.Clamp(value, 50_000, 950_000);
    }

    public int Events => _events;

    /// <summary>
    /// The winner of one round of an event that ends at <paramref name="endMs"/>: YES with the fair
    /// value then as its chance, drawn from the seed (the same on every venue with this seed).
    /// </summary>
    public ArbBot.Abstractions.Markets.Outcome Winner(int eventIndex, long round, long endMs) =>
        (long)(Hash(_seed, (ulong)eventIndex, (ulong)round, 4) % 1_000_000) < At(eventIndex, endMs)
            ? ArbBot.Abstractions.Markets.Outcome.Yes
            : ArbBot.Abstractions.Markets.Outcome.No;

    /// <summary>Linear interpolation between hashed lattice points every <paramref name="periodMs"/>, amplitude in micro-dollars.</summary>
    private long Smooth(ulong e, long unixMs, long periodMs, long amplitude)
    {
        long cell = Math.DivRem(unixMs, periodMs, out long offset);
        long a = Lattice(e, cell, periodMs, amplitude);
        long b = Lattice(e, cell + 1, periodMs, amplitude);
        return a + ((b - a) * offset / periodMs);
    }

    private long Lattice(ulong e, long cell, long periodMs, long amplitude) =>
        (long)(Hash(_seed, e, (ulong)cell, (ulong)periodMs) % (ulong)((2 * amplitude) + 1)) - amplitude;

    internal static ulong Hash(ulong seed, ulong a, ulong b, ulong c)
    {
        ulong x = seed ^ (a * 0x9E3779B97F4A7C15UL) ^ (b * 0xC2B2AE3D27D4EB4FUL) ^ (c * 0x165667B19E3779F9UL);
        return SplitMix(SplitMix(x));
    }

    private static ulong SplitMix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
