using ArbBot.Abstractions.FixedPoint;

namespace ArbBot.Engine.Replay.Report;

/// <summary>Detected edges per contract, counted in buckets of whole tenths of a cent (exact integer bucketing).</summary>
public sealed class EdgeHistogram
{
    private EdgeHistogram(long bucketMicros, IReadOnlyList<(Money From, Money To, int Count)> buckets)
    {
        BucketWidth = Money.FromMicros(bucketMicros);
        Buckets = buckets;
    }

    /// <summary>Width of one bucket.</summary>
    public Money BucketWidth { get; }

    /// <summary>Buckets from the lowest edge to the highest: [From, To) and how many opportunities.</summary>
    public IReadOnlyList<(Money From, Money To, int Count)> Buckets { get; }

    /// <summary>Buckets the edges per contract of <paramref name="opportunities"/> into at most 40 buckets of 0.1, 0.5, 1, 5 or 10 cents.</summary>
    public static EdgeHistogram Of(IReadOnlyList<ReplayOpportunity> opportunities)
    {
        if (opportunities.Count == 0)
        {
            return new EdgeHistogram(10_000, []);
        }

        long min = opportunities.Min(o => o.EdgePerContract.Micros);
        long max = opportunities.Max(o => o.EdgePerContract.Micros);
        long width = 1_000;
        foreach (long candidate in (ReadOnlySpan<long>)[1_000, 5_000, 10_000, 50_000, 100_000])
        {
            width = candidate;
            if ((Floor(max, width) - Floor(min, width)) / width < 40)
            {
                break;
            }
        }

        long start = Floor(min, width);
        int count = (int)((Floor(max, width) - start) / width) + 1;
        var counts = new int[count];
        foreach (ReplayOpportunity o in opportunities)
        {
            counts[(Floor(o.EdgePerContract.Micros, width) - start) / width]++;
        }

        var buckets = new List<(Money, Money, int)>(count);
        for (int i = 0; i < count; i++)
        {
            buckets.Add((Money.FromMicros(start + (i * width)), Money.FromMicros(start + ((i + 1) * width)), counts[i]));
        }

        return new EdgeHistogram(width, buckets);
    }

    private static long Floor(long value, long width) => (value >= 0 ? value / width : ((value - width + 1) / width)) * width;
}
