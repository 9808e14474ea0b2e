using ArbBot.Engine.Kernel;

namespace ArbBot.Tests.Kernel;

/// <summary>An idle kernel polls while its feed is busy and sleeps at once while it is quiet; <c>idle_spin</c> overrides.</summary>
public sealed class IdlePollingTests
{
    private const long Busy = 50;

    [Fact]
    public void A_quiet_feed_is_never_polled_and_a_busy_one_is_once_its_gaps_are_known()
    {
        var polling = new IdlePolling(0, Busy);
        Assert.Equal(0, polling.SpinTicks); // nothing measured yet: sleep
        for (int i = 0; i < 100; i++)
        {
            polling.Idled(1_000); // one event a millisecond-ish
        }

        Assert.Equal(0, polling.SpinTicks);
        int steps = 0;
        while (polling.SpinTicks == 0)
        {
            polling.Idled(10); // 100k events/s
            steps++;
            Assert.True(steps < 100, "never started polling a busy feed");
        }

        Assert.Equal(Busy, polling.SpinTicks);
    }

    [Fact]
    public void One_long_pause_in_a_busy_feed_does_not_stop_the_polling_but_a_feed_gone_quiet_does()
    {
        var polling = new IdlePolling(0, Busy);
        for (int i = 0; i < 100; i++)
        {
            polling.Idled(10);
        }

        polling.Idled(200);
        Assert.Equal(Busy, polling.SpinTicks);
        for (int i = 0; i < 20; i++)
        {
            polling.Idled(5_000);
        }

        Assert.Equal(0, polling.SpinTicks);
    }

    [Fact]
    public void A_configured_idle_spin_is_always_used()
    {
        var polling = new IdlePolling(700, Busy);
        polling.Idled(1_000_000);
        Assert.Equal(700, polling.SpinTicks);
        polling.Idled(1);
        Assert.Equal(700, polling.SpinTicks);
    }
}
