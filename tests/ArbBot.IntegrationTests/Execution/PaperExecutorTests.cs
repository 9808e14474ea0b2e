using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Abstractions.Strategies;
using ArbBot.Engine.Execution;
using ArbBot.IntegrationTests.Support;
using static ArbBot.IntegrationTests.Execution.TradingHarness;

namespace ArbBot.IntegrationTests.Execution;

/// <summary>The engine's paper executor against live books: taker walks, post-only, and the queue model for resting orders.</summary>
[Collection(TimingSensitiveCollection.Name)]
public sealed class PaperExecutorTests
{
    [Fact]
    public async Task A_resting_order_fills_only_once_the_size_ahead_of_it_is_used_up()
    {
        await using TradingHarness h = await TradingHarness.StartAsync();
        await h.SetUsualBooksAsync();
        MarketHandle pb = h.Market("pb", "EV1");

        // Join the 0.48 bid behind the 100 displayed there.
        long id = await h.SendAsync(IntentGroup.Single(Buy(pb, Outcome.Yes, "0.48", 30, TimeInForce.GoodTillCancelled, postOnly: true), M("1"), "join"));
        Assert.True(await h.WaitAsync(() => h.Orders.Order($"arb-{id}-0")!.Status == OrderStatus.Acked));

        await h.SetPolyBookAsync("EV1", [L("0.48", 40)], [L("0.50", 100)], [L("0.48", 100)], [L("0.50", 100)]); // 60 traded ahead of us: 40 left ahead
        await h.SetPolyBookAsync("EV1", [L("0.48", 90)], [L("0.50", 100)], [L("0.48", 100)], [L("0.50", 100)]); // 50 joined behind us
        Assert.Equal(Q(0), (await h.OnKernelAsync(() => h.Orders.Order($"arb-{id}-0")))!.Filled);

        await h.SetPolyBookAsync("EV1", [L("0.48", 35)], [L("0.50", 100)], [L("0.48", 100)], [L("0.50", 100)]); // 55 traded: 40 ahead, then 15 of ours
        Assert.True(await h.WaitAsync(() => h.Orders.Order($"arb-{id}-0")!.Filled == Q(15)));
        ManagedOrder order = (await h.OnKernelAsync(() => h.Orders.Order($"arb-{id}-0")))!;
        Assert.Equal(OrderStatus.PartiallyFilled, order.Status);

        // The ask comes down to our price: the rest fills at our limit, as maker.
        await h.SetPolyBookAsync("EV1", [L("0.47", 35)], [L("0.48", 100)], [L("0.48", 100)], [L("0.50", 100)]);
        Assert.True(await h.WaitAsync(() => h.Orders.Order($"arb-{id}-0")!.Status == OrderStatus.Filled));
        Assert.Equal(2, await h.ScalarAsync($"SELECT COUNT(*) FROM fills WHERE client_order_id = 'arb-{id}-0' AND maker = 1 AND price_micros = 480000"));
    }

    [Fact]
    public async Task Public_trades_move_a_resting_order_up_the_queue_once_each_and_a_trade_through_its_price_fills_it()
    {
        await using TradingHarness h = await TradingHarness.StartAsync();
        await h.SetUsualBooksAsync();
        MarketHandle pb = h.Market("pb", "EV1");
        long id = await h.SendAsync(IntentGroup.Single(Buy(pb, Outcome.Yes, "0.48", 30, TimeInForce.GoodTillCancelled, postOnly: true), M("1"), "join"));
        Assert.True(await h.WaitAsync(() => h.Orders.Order($"arb-{id}-0")!.Status == OrderStatus.Acked));
        Quantity Filled() => h.Orders.Order($"arb-{id}-0")!.Filled;

        // 60 sold into the 0.48 bid, then the book shows that drop: 40 ahead, counted once.
        await h.PrintTradeAsync("pb", "EV1", Outcome.Yes, "0.48", 60, OrderSide.Sell);
        await h.SetPolyBookAsync("EV1", [L("0.48", 40)], [L("0.50", 100)], [L("0.48", 100)], [L("0.50", 100)]);
        // The other way round: the book drops 20, then the trade behind it arrives: 20 ahead, counted once.
        await h.SetPolyBookAsync("EV1", [L("0.48", 20)], [L("0.50", 100)], [L("0.48", 100)], [L("0.50", 100)]);
        await h.PrintTradeAsync("pb", "EV1", Outcome.Yes, "0.48", 20, OrderSide.Sell);
        // A buyer's trade does not touch a bid.
        await h.PrintTradeAsync("pb", "EV1", Outcome.Yes, "0.48", 50, OrderSide.Buy);
        Assert.Equal(Q(0), await h.OnKernelAsync(Filled));

        // 30 traded at our price and refilled in the same message (the book shows no drop): 20 ahead, then 10 of ours.
        await h.PrintTradeAsync("pb", "EV1", Outcome.Yes, "0.48", 30, OrderSide.Sell);
        Assert.True(await h.WaitAsync(() => Filled() == Q(10)));

        // Told from NO: a taker bought NO at 0.53, so YES traded at 0.47, through our bid: all of 0.48 went first, ours too.
        await h.PrintTradeAsync("pb", "EV1", Outcome.No, "0.53", 5, OrderSide.Buy);
        Assert.True(await h.WaitAsync(() => h.Orders.Order($"arb-{id}-0")!.Status == OrderStatus.Filled));
        Assert.Equal(["480000|10000000|1", "480000|20000000|1"], await h.ColumnAsync($"SELECT price_micros || '|' || size_micros || '|' || maker FROM fills WHERE client_order_id = 'arb-{id}-0' ORDER BY size_micros"));
    }

    [Fact]
    public async Task Takers_walk_the_book_and_cannot_take_the_same_contracts_twice()
    {
        // The first buy leaves the event legged: the later orders go as hedges would (past the legged check), and the policy waits.
        await using TradingHarness h = await TradingHarness.StartAsync(new TradingHarness.Settings { Grace = "30s" });
        await h.SetPolyBookAsync("EV1", [L("0.48", 100)], [L("0.50", 6), L("0.52", 100)], [L("0.48", 100)], [L("0.50", 100)]);
        MarketHandle pb = h.Market("pb", "EV1");

        long first = await h.SendAsync(IntentGroup.Single(Buy(pb, Outcome.Yes, "0.52", 10), M("1"), "walk"));
        Assert.True(await h.WaitAsync(() => h.GroupDone(first)));
        Assert.Equal(["500000|6000000", "520000|4000000"], await h.ColumnAsync($"SELECT price_micros || '|' || size_micros FROM fills WHERE client_order_id = 'arb-{first}-0' ORDER BY price_micros"));

        // The feed still shows 6 at 0.50 (the venue has not sent its update): a second order does not get them again.
        long second = await h.SendAsync(IntentGroup.Single(Buy(pb, Outcome.Yes, "0.50", 6), M("1"), "again"), reducesRisk: true);
        Assert.True(await h.WaitAsync(() => h.GroupDone(second)));
        Assert.Equal(OrderStatus.Cancelled, (await h.OnKernelAsync(() => h.Orders.Order($"arb-{second}-0")))!.Status);

        // A post-only order that would take is refused.
        long maker = await h.SendAsync(IntentGroup.Single(Buy(pb, Outcome.Yes, "0.52", 1, TimeInForce.GoodTillCancelled, postOnly: true), M("1"), "would take"), reducesRisk: true);
        Assert.True(await h.WaitAsync(() => h.GroupDone(maker)));
        Assert.Equal("post-only order would take liquidity", (await h.OnKernelAsync(() => h.Orders.Order($"arb-{maker}-0")))!.Reason);
    }

    [Fact]
    public async Task A_good_till_date_order_rests_until_its_expiry_then_expires_keeping_its_fills()
    {
        await using TradingHarness h = await TradingHarness.StartAsync();
        await h.SetUsualBooksAsync();
        MarketHandle pb = h.Market("pb", "EV1");
        long expiresAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 4_000; // time enough for the fill below on a busy machine
        OrderIntent gtd = Buy(pb, Outcome.Yes, "0.48", 30, TimeInForce.GoodTillDate, postOnly: true) with { ExpiresAtMs = expiresAt };
        long id = await h.SendAsync(IntentGroup.Single(gtd, M("1"), "join until expiry"));
        Assert.True(await h.WaitAsync(() => h.Orders.Order($"arb-{id}-0")!.Status != OrderStatus.New));
        Assert.Equal(OrderStatus.Acked, (await h.OnKernelAsync(() => h.Orders.Order($"arb-{id}-0")))!.Status);

        await h.PrintTradeAsync("pb", "EV1", Outcome.Yes, "0.48", 110, OrderSide.Sell); // the 100 ahead of us, then 10 of ours
        Assert.True(await h.WaitAsync(() => h.Orders.Order($"arb-{id}-0")!.Filled == Q(10)));

        Assert.True(await h.WaitAsync(() => h.Orders.Order($"arb-{id}-0")!.Status == OrderStatus.Expired));
        ManagedOrder order = (await h.OnKernelAsync(() => h.Orders.Order($"arb-{id}-0")))!;
        Assert.True(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() >= expiresAt, "expired before its time");
        Assert.Equal(Q(10), order.Filled);
        Assert.Contains("expired", order.Reason);
        Assert.Equal(["gtd|expired"], await h.ColumnAsync($"SELECT tif || '|' || status FROM orders WHERE client_order_id = 'arb-{id}-0'"));
    }
}
