namespace ArbBot.Venues.Sim.Model;

/// <summary>
/// The shared "true" probability of each simulated event, as a pure function of (seed, event,
/// time): two venues with the same seed see the same path without talking to each other, and
/// a test can ask for any moment. Smooth drift from interpolated hash noise, plus occasional
/// pulses (a jump away and back a few seconds later) that lagging venues are slow to follow.
/// The outcomes of an outcome group (market indexes after the plain events) share $1: each is its
/// drifting weight's share of the group's, and now and then a move shifts twice the jump size from
/// one outcome to another for a few seconds, so a lagging venue briefly prices the set below $1.
/// </summary>
internal sealed class FairValue
{
    private const long PulseWindowMs = 5_000;
    private readonly ulong _seed;
    private readonly int _events;
    private readonly int _groupOutcomes;
    private readonly ulong _pulseThreshold;
    private readonly ulong _groupMoveThreshold;
    private readonly long _pulseSize;

    public FairValue(ulong seed, int events, int jumpsPerMinute, long jumpSizeMicros, int groupOutcomes = 3, int groupMovesPerMinute = 0)
    {
        _seed = seed;
        _pulseSize = jumpSizeMicros;
        _events = events;
        _groupOutcomes = groupOutcomes;

        // Each pulse makes two jumps; there are 12 windows per event per minute.
        ulong windowsPerMinute = 24UL * (ulong)events;
        _pulseThreshold = (ulong)jumpsPerMinute >= windowsPerMinute
            ? ulong.MaxValue
            : ulong.MaxValue / windowsPerMinute * (ulong)jumpsPerMinute;

        // A group's move (and its move back) is one per window; there are 12 windows per group per minute.
        _groupMoveThreshold = groupMovesPerMinute >= 12 ? ulong.MaxValue : ulong.MaxValue / 12 * (ulong)groupMovesPerMinute;
    }

    /// <summary>Fair YES price of an event (or a group's outcome) at a Unix time, in micro-dollars, within [0.05, 0.95] (an outcome: [0.01, 0.99]).</summary>
    public long At(int eventIndex, long unixMs)
    {
        if (eventIndex >= _events)
        {
            return OutcomeAt((eventIndex - _events) / _groupOutcomes, (eventIndex - _events) % _groupOutcomes, unixMs);
        }

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
    public ArbBot.Abstractions.Markets.Outcome Winner(int eventIndex, long round, long endMs)
    {
        if (eventIndex >= _events)
        {
            // One draw per group and round: the outcome whose stretch of the fair values holds it wins, every other loses.
            int group = (eventIndex - _events) / _groupOutcomes, first = _events + (group * _groupOutcomes);
            long draw = (long)(Hash(_seed, GroupKey(group), (ulong)round, 4) % 1_000_000), upTo = 0;
            int winner = first + _groupOutcomes - 1;
            for (int k = first; k < first + _groupOutcomes; k++)
            {
                upTo += At(k, endMs);
                if (draw < upTo)
                {
                    winner = k;
                    break;
                }
            }

            return winner == eventIndex ? ArbBot.Abstractions.Markets.Outcome.Yes : ArbBot.Abstractions.Markets.Outcome.No;
        }

        return (long)(Hash(_seed, (ulong)eventIndex, (ulong)round, 4) % 1_000_000) < At(eventIndex, endMs)
            ? ArbBot.Abstractions.Markets.Outcome.Yes
            : ArbBot.Abstractions.Markets.Outcome.No;
    }

    /// <summary>An outcome's share of its group's $1: its weight over the group's, then any pulse moving value between two outcomes.</summary>
    private long OutcomeAt(int group, int outcome, long unixMs)
    {
        ulong key = GroupKey(group);
        long total = 0;
        Span<long> weights = stackalloc long[_groupOutcomes];
        for (int k = 0; k < _groupOutcomes; k++)
        {
            ulong w = key + ((ulong)k << 20);
            weights[k] = 200_000 + (long)(Hash(_seed, w, 0, 1) % 600_001) + Smooth(w, unixMs, 20_000, 60_000) + Smooth(w, unixMs, 2_000, 8_000);
            total += weights[k];
        }

        long mine = weights[outcome] * 1_000_000 / total;
        long window = Math.DivRem(unixMs, PulseWindowMs, out long into);
        if (Hash(_seed, key, (ulong)window, 2) < _groupMoveThreshold && into >= PulseWindowMs / 5)
        {
            int from = (int)(Hash(_seed, key, (ulong)window, 3) % (ulong)_groupOutcomes);
            int to = (from + 1 + (int)(Hash(_seed, key, (ulong)window, 6) % (ulong)(_groupOutcomes - 1))) % _groupOutcomes;
            long moved = Math.Max(0, Math.Min(2 * _pulseSize, (weights[from] * 1_000_000 / total) - 20_000));
            mine += outcome == from ? -moved : outcome == to ? moved : 0;
        }

        return Math.Clamp(mine, 10_000, 990_000);
    }

    /// <summary>Hash key of a group: apart from every plain event's.</summary>
    private static ulong GroupKey(int group) => 0x4000_0000UL + (ulong)group;

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
