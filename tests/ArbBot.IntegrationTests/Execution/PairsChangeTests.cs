using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Execution;
using ArbBot.Engine.Hosting;
using ArbBot.Engine.Orders;
using static ArbBot.IntegrationTests.Execution.TradingHarness;

namespace ArbBot.IntegrationTests.Execution;

/// <summary>
/// A pairs change on a running engine (what `arbbot run` does when the pairs file changes): a pair
/// taken out while it holds a position is left for a restart with the reason; a flat one is taken
/// out in place and a new one added, the other pair's books untouched; the new pair trades and the
/// retired one refuses orders.
/// </summary>
public sealed class PairsChangeTests
{
    [Fact]
    public async Task A_held_pair_waits_for_a_restart_and_a_flat_one_is_swapped_for_a_new_one_in_place()
    {
        await using TradingHarness h = await TradingHarness.StartAsync(new Settings { Events = 2 });
        await h.SetUsualBooksAsync("EV1");
        await h.SetUsualBooksAsync("EV2");
        long id = await h.SendAsync(h.DutchPair("EV1"));
        Assert.True(await h.WaitAsync(() => h.GroupDone(id)), "the pair did not finish");
        MarketHandle[] first = [h.Market("ka", "EV1"), h.Market("pb", "EV1")];
        MarketHandle[] second = [h.Market("ka", "EV2"), h.Market("pb", "EV2")];
        int[] firstEpochs = await h.OnKernelAsync(() => first.Select(m => h.Host.Kernel.Books[m].Epoch).ToArray());

        ArbBotConfig loaded = ConfigLoader.Load(Path.Combine(h.Directory, "arbbot.yaml"));
        var third = new PairConfig("EV3", [new PairLegConfig("ka", "KA-EV3", null, null, 0), new PairLegConfig("pb", "PB-EV3", "PB-EV3-YES", "PB-EV3-NO", 0)], 0);

        // EV1 holds the pair's position: not taken out in place, and nothing is changed.
        PairsChange refused = await h.Host.ChangePairsAsync(loaded with { Pairs = [loaded.Pairs[1], third] }, CancellationToken.None);
        Assert.False(refused.InPlace);
        Assert.StartsWith("EV1 is taken out but holds a position or open buys (YES 10.00", refused.RestartBecause);
        Assert.Equal((2, 2, false), (h.Host.Pairs.Count, h.Host.ActivePairCount, await h.OnKernelAsync(() => h.Host.Kernel.Books[first[0]].IsStale)));

        // EV2 is flat: swapped for EV3 in place; EV1's books keep their epoch and stay live.
        PairsChange change = await h.Host.ChangePairsAsync(loaded with { Pairs = [loaded.Pairs[0], third] }, CancellationToken.None);
        Assert.True(change.InPlace, change.RestartBecause);
        Assert.Equal(["EV3"], change.Added);
        Assert.Equal(["EV2"], change.Removed);
        Assert.Equal((2, 2), (change.Subscribed, change.Unsubscribed));
        Assert.Equal(firstEpochs, await h.OnKernelAsync(() => first.Select(m => h.Host.Kernel.Books[m].Epoch).ToArray()));
        Assert.False(await h.OnKernelAsync(() => first.Any(m => h.Host.Kernel.Books[m].IsStale)));
        Assert.True(await h.OnKernelAsync(() => second.All(m => h.Host.Kernel.Books[m].IsStale)));
        Assert.True(h.Host.IsRetired(1));
        Assert.Equal((3, 2, "EV3"), (h.Host.Pairs.Count, h.Host.ActivePairCount, h.Host.Pairs[2].EventId));
        EventExposure held = await h.OnKernelAsync(() => h.Host.Inventory.ExposureOf(0));
        Assert.Equal(Q(10), held.Matched); // the position stays where it was

        // The new pair trades; the retired one refuses (its books are stale for good).
        await h.SetUsualBooksAsync("EV3");
        long added = await h.SendAsync(h.DutchPair("EV3"), "EV3");
        Assert.True(await h.WaitAsync(() => h.GroupDone(added)), "the added pair did not trade");
        Assert.Equal(Q(10), (await h.OnKernelAsync(() => h.Host.Inventory.ExposureOf(2))).Matched);
        (long sent, long rejected) before = await h.OnKernelAsync(() => (h.Orders.OrdersSent, h.Execution.Risk.RejectedTotal));
        await h.SubmitAsync(h.DutchPair("EV2"), "EV2");
        (long sent, long rejected, string why) after = await h.OnKernelAsync(() => (h.Orders.OrdersSent, h.Execution.Risk.RejectedTotal, h.Execution.Risk.LastRejection));
        Assert.Equal((before.sent, before.rejected + 1), (after.sent, after.rejected));
        Assert.Contains("stale_book: ka KA-EV2 is stale (taken out of the pairs file)", after.why);
    }
}
