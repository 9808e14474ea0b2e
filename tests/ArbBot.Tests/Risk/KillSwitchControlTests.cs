using ArbBot.Engine.Configuration;
using ArbBot.Engine.Control;
using ArbBot.Engine.Execution.Alerts;
using ArbBot.Engine.Risk;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArbBot.Tests.Risk;

/// <summary>Operator commands reach the kill switch through the control input, whatever carried them.</summary>
public sealed class KillSwitchControlTests
{
    [Fact]
    public async Task A_halt_through_the_control_input_engages_at_once_even_when_the_store_cannot_be_written()
    {
        await using var alerts = new AlertSink(AlertOptions.Default, "t", null, NullLogger.Instance);
        var control = new ControlInbox();
        using var kill = new KillSwitch(new UnwritableStore(), control, alerts, NullLogger.Instance, TimeProvider.System);

        control.Post(new ControlCommand("halt:desk says stop", "redis"));
        kill.Poll();

        Assert.True(kill.IsEngaged); // a safety command fails closed
        Assert.Equal(("redis", "desk says stop", false), (kill.State!.Source, kill.State.Reason, kill.State.Flatten));

        // The store still holds nothing (it refuses every write): that is the store being behind, not a clear.
        for (int i = 0; i < 5; i++)
        {
            kill.Poll();
        }

        Assert.True(kill.IsEngaged);
        Assert.Equal("desk says stop", kill.State!.Reason);
    }

    [Fact]
    public async Task An_engage_the_store_took_late_is_saved_at_a_later_poll_and_then_the_store_rules_again()
    {
        await using var alerts = new AlertSink(AlertOptions.Default, "t", null, NullLogger.Instance);
        var control = new ControlInbox();
        var store = new MemoryStore { Refuse = true };
        using var kill = new KillSwitch(store, control, alerts, NullLogger.Instance, TimeProvider.System);

        kill.Engage(false, "daily loss", "engine");
        kill.Poll();
        Assert.True(kill.IsEngaged);
        Assert.Null(store.Saved);

        store.Refuse = false; // the disk is writable again: the next poll saves what memory holds
        kill.Poll();
        Assert.Equal("daily loss", store.Saved!.Reason);

        control.Post(new ControlCommand("clear", "redis"));
        Assert.True(await WaitUntil(() =>
        {
            kill.Poll();
            return !kill.IsEngaged;
        }));
        Assert.Null(store.Saved);
    }

    [Fact]
    public async Task Flatten_outranks_halt_and_an_unknown_word_changes_nothing()
    {
        await using var alerts = new AlertSink(AlertOptions.Default, "t", null, NullLogger.Instance);
        var control = new ControlInbox();
        var store = new MemoryStore();
        using var kill = new KillSwitch(store, control, alerts, NullLogger.Instance, TimeProvider.System);

        control.Post(new ControlCommand("pause", "dashboard"));
        kill.Poll();
        Assert.False(kill.IsEngaged);

        control.Post(new ControlCommand("flatten", "dashboard"));
        kill.Poll();
        Assert.True(kill.State is { Flatten: true, Source: "dashboard", Reason: "set through dashboard" });

        control.Post(new ControlCommand("HALT: later", "redis"));
        kill.Poll();
        Assert.True(kill.State!.Flatten); // already more engaged than a halt

        Assert.True(await WaitUntil(() => store.Saved is { Flatten: true })); // persisted off the caller's thread
        control.Post(new ControlCommand("clear", "redis"));
        Assert.True(await WaitUntil(() =>
        {
            kill.Poll(); // the store is the truth: cleared there, the switch follows once no engage is still being saved
            return !kill.IsEngaged;
        }));
    }

    private static Task<bool> WaitUntil(Func<bool> condition) => Task.FromResult(SpinWait.SpinUntil(condition, TimeSpan.FromSeconds(30)));

    private sealed class UnwritableStore : IKillStateStore
    {
        public string Where => "a read-only disk";

        public KillState? Read() => null;

        public void Write(KillState state) => throw new IOException("read-only file system");

        public bool Clear() => throw new IOException("read-only file system");
    }

    private sealed class MemoryStore : IKillStateStore
    {
        private volatile KillState? _saved;

        public KillState? Saved => _saved;

        public string Where => "memory";

        public KillState? Read() => _saved;

        public bool Refuse { get; set; }

        public void Write(KillState state) => _saved = Refuse ? throw new IOException("disk full") : state;

        public bool Clear()
        {
            bool was = _saved is not null;
            _saved = null;
            return was;
        }
    }
}
