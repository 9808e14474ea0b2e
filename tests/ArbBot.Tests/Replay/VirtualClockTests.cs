using System.Diagnostics;
using ArbBot.Engine.Replay;

namespace ArbBot.Tests.Replay;

public sealed class VirtualClockTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_000);

    [Fact]
    public void Time_stands_still_until_moved_and_never_goes_back()
    {
        var clock = new VirtualClock(Start);
        long t0 = clock.GetTimestamp();
        Assert.Equal(Start, clock.GetUtcNow());
        Assert.Equal(t0, clock.GetTimestamp());

        long later = clock.TimestampAt(((Start.ToUnixTimeMilliseconds() + 1500) * 1_000_000) + 250);
        clock.AdvanceTo(later);
        Assert.Equal(1500, Ms(clock));
        long elapsedNs = (long)((clock.GetTimestamp() - t0) * (1e9 / Stopwatch.Frequency));
        Assert.InRange(elapsedNs, 1_500_000_000, 1_500_000_250); // to the nanosecond where the timestamp frequency allows

        Assert.Equal(later, clock.TimestampAt(Start.ToUnixTimeMilliseconds() * 1_000_000)); // an earlier time reads as now
    }

    [Fact]
    public void Timers_fire_in_due_order_when_time_passes_them_repeating_ones_included()
    {
        var clock = new VirtualClock(Start);
        var fired = new List<string>();
        using ITimer tick = clock.CreateTimer(_ => fired.Add($"tick@{Ms(clock)}"), null, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(250));
        using ITimer once = clock.CreateTimer(_ => fired.Add($"once@{Ms(clock)}"), null, TimeSpan.FromMilliseconds(300), Timeout.InfiniteTimeSpan);
        ITimer cancelled = clock.CreateTimer(_ => fired.Add("cancelled"), null, TimeSpan.FromMilliseconds(100), Timeout.InfiniteTimeSpan);
        cancelled.Dispose();

        long until = clock.GetTimestamp() + (Stopwatch.Frequency * 6 / 10);
        while (clock.FireNext(until))
        {
        }

        clock.AdvanceTo(until);
        Assert.Equal(["tick@250", "once@300", "tick@500"], fired);
        Assert.Equal(600, Ms(clock));
    }

    [Fact]
    public void A_timer_moved_before_it_fires_fires_only_at_its_new_time()
    {
        var clock = new VirtualClock(Start);
        int fired = 0;
        using ITimer timer = clock.CreateTimer(_ => fired++, null, TimeSpan.FromMilliseconds(100), Timeout.InfiniteTimeSpan);
        timer.Change(TimeSpan.FromMilliseconds(400), Timeout.InfiniteTimeSpan);
        Assert.False(clock.FireNext(clock.GetTimestamp() + (Stopwatch.Frequency / 5)));
        Assert.True(clock.FireNext(clock.GetTimestamp() + Stopwatch.Frequency));
        Assert.Equal(1, fired);
        Assert.Equal(400, Ms(clock));
    }

    private static long Ms(VirtualClock clock) => (long)(clock.GetUtcNow() - Start).TotalMilliseconds;
}
