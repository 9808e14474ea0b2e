using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Engine.Orders;

namespace ArbBot.Tests.Orders;

public sealed class InventoryTests
{
    private static readonly MarketHandle s_market = new(3);

    [Fact]
    public void Fills_move_the_position_and_a_repeated_trade_counts_once()
    {
        var inventory = new Inventory();
        inventory.OnFill(0, Fill("t1", OrderSide.Buy, "10"));
        inventory.OnFill(0, Fill("t2", OrderSide.Buy, "5"));
        inventory.OnFill(0, Fill("t2", OrderSide.Buy, "5")); // replayed after a reconnect
        inventory.OnFill(0, Fill("t3", OrderSide.Sell, "3"));

        Assert.Equal(Quantity.Parse("12"), inventory.Position(s_market, Outcome.Yes));
        Assert.Equal(Quantity.Zero, inventory.Position(s_market, Outcome.No));
        Assert.Equal(Quantity.Zero, inventory.Position(new MarketHandle(999), Outcome.Yes));
    }

    [Fact]
    public void The_same_trade_id_on_two_venues_markets_is_two_fills()
    {
        // Trade ids are unique per venue only: two venues may both number their trades from 1.
        var inventory = new Inventory();
        var other = new MarketHandle(4);
        inventory.OnFill(0, Fill("t1", OrderSide.Buy, "10"));
        inventory.OnFill(1, Fill("t1", OrderSide.Buy, "4") with { Market = other });

        Assert.Equal(Quantity.Parse("10"), inventory.Position(s_market, Outcome.Yes));
        Assert.Equal(Quantity.Parse("4"), inventory.Position(other, Outcome.Yes));
    }

    [Fact]
    public void Open_quantity_follows_order_updates_until_the_order_is_done()
    {
        var inventory = new Inventory();
        inventory.OnOrderSent(new OrderRequest("c1", s_market, "M", Outcome.No, OrderSide.Buy, Price.Parse("0.40"), Quantity.Parse("20"), TimeInForce.GoodTillCancelled));
        Assert.Equal(Quantity.Parse("20"), inventory.OpenQuantity(s_market, Outcome.No, OrderSide.Buy));

        inventory.OnOrderUpdate(0, new OrderUpdate("c1", "v1", OrderStatus.PartiallyFilled, Quantity.Parse("8"), Quantity.Parse("12"), null, 0));
        Assert.Equal(Quantity.Parse("12"), inventory.OpenQuantity(s_market, Outcome.No, OrderSide.Buy));

        inventory.OnOrderUpdate(0, new OrderUpdate("c1", "v1", OrderStatus.Cancelled, Quantity.Parse("8"), Quantity.Zero, "by request", 0));
        Assert.Equal(Quantity.Zero, inventory.OpenQuantity(s_market, Outcome.No, OrderSide.Buy));

        inventory.OnOrderUpdate(0, new OrderUpdate("unknown", null, OrderStatus.Acked, Quantity.Zero, Quantity.Parse("5"), null, 0));
        Assert.Equal(Quantity.Zero, inventory.OpenQuantity(s_market, Outcome.No, OrderSide.Buy));
    }

    private static Fill Fill(string trade, OrderSide side, string quantity) =>
        new("c", "v", trade, s_market, Outcome.Yes, side, Price.Parse("0.50"), Quantity.Parse(quantity), Money.Zero, false, 0);
}
