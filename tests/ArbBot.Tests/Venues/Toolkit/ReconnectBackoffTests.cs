using ArbBot.Venues.Toolkit.Reconnect;

namespace ArbBot.Tests.Venues.Toolkit;

/// <summary>The shared reconnect backoff: within its window for every failure count, and spread out (jitter) rather than in step.</summary>
public sealed class ReconnectBackoffTests
{
    [Fact]
    public void Every_wait_is_between_the_floor_and_the_doubling_window_capped_at_the_ceiling()
    {
        var random = new Random(12);
        for (int trial = 0; trial < 2_000; trial++)
        {
            int min = random.Next(1, 500);
            int max = min + random.Next(0, 20_000);
            int failures = random.Next(0, 40);
            var backoff = new ReconnectBackoff(min, max, new Random(trial));
            double wait = backoff.Delay(failures).TotalMilliseconds;
            long window = Math.Min(max, (long)min << Math.Min(failures, 16));
            Assert.InRange(wait, min, Math.Max(min, window));
        }
    }

    [Fact]
    public void Waits_after_the_same_failures_are_spread_over_the_window()
    {
        var backoff = new ReconnectBackoff(100, 10_000, new Random(3));
        double[] waits = Enumerable.Range(0, 200).Select(_ => backoff.Delay(6).TotalMilliseconds).ToArray();
        Assert.True(waits.Distinct().Count() > 100, "no jitter");
        Assert.True(waits.Min() < 1_000 && waits.Max() > 5_000, $"{waits.Min()}..{waits.Max()} does not cover the window 100..6400");
    }

    [Fact]
    public async Task Waiting_ends_quietly_when_stopped()
    {
        var backoff = new ReconnectBackoff(60_000, 60_000);
        using var stop = new CancellationTokenSource();
        Task wait = backoff.WaitAsync(0, stop.Token);
        await stop.CancelAsync();
        await wait; // does not throw
        Assert.True(wait.IsCompletedSuccessfully);
    }

    [Fact]
    public void A_repeating_failure_is_told_at_first_then_every_twentieth_time()
    {
        Assert.Equal([1, 2, 3, 20, 40, 60], Enumerable.Range(1, 60).Where(FailureLog.ShouldTell));
        Assert.Equal([1L, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1000, 2000], Enumerable.Range(1, 2500).Select(n => (long)n).Where(FailureLog.ShouldTellSkipped));
    }
}
