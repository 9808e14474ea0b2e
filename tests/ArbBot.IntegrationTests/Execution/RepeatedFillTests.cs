using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Abstractions.Strategies;
using ArbBot.Engine.Books;
using ArbBot.Engine.Kernel;
using static ArbBot.IntegrationTests.Execution.TradingHarness;

namespace ArbBot.IntegrationTests.Execution;

/// <summary>A venue reporting one trade id twice: counted once, and a repeat that disagrees with the first is an alert, never a silent drop.</summary>
public sealed class RepeatedFillTests
{
    [Fact]
    public async Task A_repeated_trade_id_is_counted_once_reaches_no_stage_again_and_a_different_repeat_is_alerted()
    {
        await using TradingHarness h = await TradingHarness.StartAsync();
        await h.SetUsualBooksAsync();
        var probe = new FillProbe();
        await h.OnKernelAsync(() =>
        {
            h.Host.Pipeline.AddObserver(probe);
            return 0;
        });

        MarketHandle pb = h.Market("pb", "EV1");
        long id = await h.SendAsync(IntentGroup.Single(Buy(pb, Outcome.Yes, "0.50", 3), M("0.1"), "one buy"));
        Assert.True(await h.WaitAsync(() => h.GroupDone(id) && probe.Fills.Count == 1));
        (int venue, Fill fill) = probe.Fills.Single();
        Quantity held = await h.OnKernelAsync(() => h.Host.Inventory.Position(pb, Outcome.Yes));
        Assert.Equal(Q(3), held);

        // The same fill again (a reconnect replaying it): dropped before any stage, quietly.
        h.Host.Kernel.Post(KernelEvent.ForExecution(venue, KernelEventKind.Fill, fill));
        Assert.True(await h.WaitAsync(() => h.Execution.Fills.Duplicates == 1));
        Assert.Single(probe.Fills);
        Assert.Equal(held, await h.OnKernelAsync(() => h.Host.Inventory.Position(pb, Outcome.Yes)));

        // The same trade id for another size (a plugin whose trade id counter restarted): not counted, alerted.
        h.Host.Kernel.Post(KernelEvent.ForExecution(venue, KernelEventKind.Fill, fill with { Quantity = Q(7) }));
        Assert.True(await h.WaitAsync(() => h.Execution.Fills.Conflicts == 1));
        await h.OnKernelAsync(() => 0); // the kernel counts the conflict, then raises its alert: let it finish that event
        Assert.Single(probe.Fills);
        Assert.Equal(held, await h.OnKernelAsync(() => h.Host.Inventory.Position(pb, Outcome.Yes)));
        List<string> alerts = await h.ColumnAsync("SELECT message FROM alerts WHERE kind = 'fill_conflict'");
        string alert = Assert.Single(alerts);
        Assert.Contains($"pb reported trade id {fill.TradeId} again, for a different fill: first buy 3.00 yes at 0.50", alert, StringComparison.Ordinal);
        Assert.Contains("now buy 7.00 yes at 0.50", alert, StringComparison.Ordinal);
    }

    /// <summary>An observer: what reached the last stage of the pipeline.</summary>
    private sealed class FillProbe : IKernelListener
    {
        public List<(int Venue, Fill Fill)> Fills { get; } = new();

        public bool WantsBookUpdates => false;

        public void OnBookUpdated(MarketBook book)
        {
        }

        public void OnOrderUpdate(int venueIndex, OrderUpdate update)
        {
        }

        public void OnFill(int venueIndex, Fill fill) => Fills.Add((venueIndex, fill));

        public void OnTimer(long nowTimestamp)
        {
        }
    }
}
