using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Venues.Sim.Matching;
using ArbBot.Venues.Sim.Model;

namespace ArbBot.Tests.Sim;

public sealed class SimMatchingEngineTests
{
    private readonly RecordingExecutionSink _sink = new();

    [Fact]
    public void Ioc_buy_walks_the_asks_with_partial_fills_and_cancels_the_rest()
    {
        SimBook book = PolyBook(asks: [(0.50m, 10), (0.51m, 20), (0.55m, 100)]);
        SimMatchingEngine engine = Engine(SimStyle.Polymarket);

        engine.Submit(book, Order("o1", OrderSide.Buy, "0.51", "40", TimeInForce.ImmediateOrCancel), 1);

        Assert.Equal([("0.50", "10.00"), ("0.51", "20.00")], _sink.Fills.Select(f => (f.Price.ToString(), f.Quantity.ToString())));
        Assert.All(_sink.Fills, f => Assert.False(f.IsMaker));
        Assert.Equal([OrderStatus.Acked, OrderStatus.Cancelled], _sink.Updates.Select(u => u.Status));
        Assert.Equal(Quantity.Parse("30"), _sink.Updates[^1].FilledQuantity);
        Assert.Equal(0, book.QuantityAt(Outcome.Yes, BookSide.Ask, 500_000));
        Assert.Equal(0, book.QuantityAt(Outcome.Yes, BookSide.Ask, 510_000));
        Assert.Equal(100_000_000, book.QuantityAt(Outcome.Yes, BookSide.Ask, 550_000));
    }

    [Fact]
    public void Fok_that_cannot_fill_whole_is_cancelled_without_touching_the_book()
    {
        SimBook book = PolyBook(asks: [(0.50m, 10)]);
        SimMatchingEngine engine = Engine(SimStyle.Polymarket);

        engine.Submit(book, Order("o1", OrderSide.Buy, "0.50", "11", TimeInForce.FillOrKill), 1);

        Assert.Empty(_sink.Fills);
        OrderUpdate only = Assert.Single(_sink.Updates);
        Assert.Equal(OrderStatus.Cancelled, only.Status);
        Assert.Contains("only 10.00 of 11.00", only.Reason);
        Assert.Equal(10_000_000, book.QuantityAt(Outcome.Yes, BookSide.Ask, 500_000));
    }

    [Fact]
    public void Fok_that_can_fill_fills_whole()
    {
        SimBook book = PolyBook(asks: [(0.50m, 10), (0.52m, 10)]);
        Engine(SimStyle.Polymarket).Submit(book, Order("o1", OrderSide.Buy, "0.52", "15", TimeInForce.FillOrKill), 1);
        Assert.Equal(Quantity.Parse("15"), _sink.Fills.Aggregate(Quantity.Zero, (q, f) => q + f.Quantity));
        Assert.Equal(OrderStatus.Filled, _sink.Updates[^1].Status);
    }

    [Fact]
    public void A_good_till_date_order_rests_until_its_expiry_then_expires_with_what_filled()
    {
        SimBook book = PolyBook(asks: [(0.50m, 10)]);
        SimMatchingEngine engine = Engine(SimStyle.Polymarket);
        engine.Submit(book, Order("gtd", OrderSide.Buy, "0.50", "25", TimeInForce.GoodTillDate) with { ExpiresAtMs = 5_000 }, 1);
        engine.Submit(book, Order("no-expiry", OrderSide.Buy, "0.40", "5", TimeInForce.GoodTillDate), 1);

        engine.ExpireDue(4_999);
        Assert.Equal([OrderStatus.Acked, OrderStatus.PartiallyFilled, OrderStatus.Rejected], _sink.Updates.Select(u => u.Status));
        Assert.Equal("a good-till-date order needs an expiry", _sink.Updates[^1].Reason);

        engine.ExpireDue(5_000);
        OrderUpdate expired = _sink.Updates[^1];
        Assert.Equal((OrderStatus.Expired, "gtd", Quantity.Parse("10")), (expired.Status, expired.ClientOrderId, expired.FilledQuantity));
        engine.ExpireDue(6_000);
        Assert.Equal(4, _sink.Updates.Count); // once
    }

    [Fact]
    public void Post_only_that_would_take_is_rejected()
    {
        SimBook book = PolyBook(asks: [(0.50m, 10)]);
        Engine(SimStyle.Polymarket).Submit(book, Order("o1", OrderSide.Buy, "0.50", "1", TimeInForce.GoodTillCancelled, postOnly: true), 1);
        Assert.Equal(OrderStatus.Rejected, Assert.Single(_sink.Updates).Status);
        Assert.Empty(_sink.Fills);
    }

    [Fact]
    public void Buying_yes_on_a_kalshi_book_takes_no_bids_at_the_complement_and_charges_kalshi_fees()
    {
        var book = new SimBook(0, "K-E01", SimStyle.Kalshi);
        book.SetPhysical(Outcome.No, BookSide.Bid, 560_000, 100_000_000); // a YES ask at 0.44
        book.Pending.Clear();

        Engine(SimStyle.Kalshi).Submit(book, Order("o1", OrderSide.Buy, "0.44", "100", TimeInForce.ImmediateOrCancel), 1);

        Fill fill = Assert.Single(_sink.Fills);
        Assert.Equal(Price.Parse("0.44"), fill.Price);
        Assert.Equal(Money.Parse("1.73"), fill.Fee); // ceil_to_cent(0.07 x 100 x 0.44 x 0.56) = ceil(1.7248)
        Assert.Equal(0, book.QuantityAt(Outcome.No, BookSide.Bid, 560_000));
        LevelChange change = Assert.Single(book.Pending);
        Assert.Equal((Outcome.No, BookSide.Bid, 560_000L, 100_000_000L, 0L), (change.Outcome, change.Side, change.PriceMicros, change.OldQuantityMicros, change.NewQuantityMicros));
    }

    [Theory]
    [InlineData("kalshi", "0.50", "100", "1.75")]
    [InlineData("kalshi", "0.50", "1", "0.02")]
    [InlineData("kalshi", "0.25", "100", "1.32")]
    [InlineData("kalshi", "0.05", "100", "0.34")]
    [InlineData("kalshi", "0.50", "10", "0.18")]
    [InlineData("polymarket", "0.50", "100", "1.00")]
    [InlineData("polymarket", "0.37", "3", "0.02798")] // 0.027972 rounded up to 5 decimals
    public void Taker_fees_follow_the_venue_formulas(string style, string price, string quantity, string fee)
    {
        // Worked examples from docs/venues/PROTOCOLS.md 1.7 (Kalshi) and 2.7 (Polymarket, politics rate 0.04).
        SimStyle venue = style == "kalshi" ? SimStyle.Kalshi : SimStyle.Polymarket;
        Assert.Equal(Money.Parse(fee), SimFees.OrderTotal(venue, SimFees.TakerFill(venue, Price.Parse(price), Quantity.Parse(quantity), Price.Parse("0.04"))));
    }

    [Fact]
    public void A_kalshi_order_filled_at_two_prices_rounds_each_fill_to_a_hundredth_of_a_cent_and_the_order_to_the_cent()
    {
        // YES asks 0.58 x130 and 0.59 x39 (NO bids at 0.42, 0.41). Fills: 0.07 x 130 x 0.58 x 0.42 = 2.21676 -> 2.2168 and
        // 0.07 x 39 x 0.59 x 0.41 = 0.660387 -> 0.6604: 2.8772, the order 2.88 (rounding each fill to the cent gave 2.22 + 0.67 = 2.89).
        var book = new SimBook(0, "K-E01", SimStyle.Kalshi);
        book.SetPhysical(Outcome.No, BookSide.Bid, 420_000, 130_000_000);
        book.SetPhysical(Outcome.No, BookSide.Bid, 410_000, 39_000_000);
        book.Pending.Clear();

        Engine(SimStyle.Kalshi).Submit(book, Order("o1", OrderSide.Buy, "0.59", "169", TimeInForce.ImmediateOrCancel), 1);

        Assert.Equal(2, _sink.Fills.Count);
        Assert.Equal(Money.Parse("2.2168"), _sink.Fills[0].Fee);
        Assert.Equal(Money.Parse("0.6632"), _sink.Fills[1].Fee); // the order's rounding charged on its last fill
        Assert.Equal(Money.Parse("2.88"), _sink.Fills[0].Fee + _sink.Fills[1].Fee);
    }

    [Fact]
    public void Resting_order_waits_behind_the_displayed_queue_then_fills_as_maker()
    {
        SimBook book = PolyBook(bids: [(0.48m, 50)], asks: [(0.52m, 50)]);
        SimMatchingEngine engine = Engine(SimStyle.Polymarket);
        engine.Submit(book, Order("o1", OrderSide.Buy, "0.48", "20", TimeInForce.GoodTillCancelled), 1);
        Assert.Equal(1, engine.RestingCount);
        Assert.Empty(_sink.Fills);

        // 30 of the 50 ahead trade away: still 20 ahead of us.
        ShowAtOurPrice(book, engine, contracts: 20);
        Assert.Empty(_sink.Fills);

        // 35 join behind us (no effect on our place), then 35 trade: the last 20 ahead, then 15 of ours.
        ShowAtOurPrice(book, engine, contracts: 55);
        ShowAtOurPrice(book, engine, contracts: 20);
        Fill first = Assert.Single(_sink.Fills);
        Assert.True(first.IsMaker);
        Assert.Equal(Quantity.Parse("15"), first.Quantity);
        Assert.Equal(Money.Zero, first.Fee);
        Assert.Equal(OrderStatus.PartiallyFilled, _sink.Updates[^1].Status);

        // The market comes down through our price: the rest fills at our limit.
        book.SetPhysical(Outcome.Yes, BookSide.Ask, 470_000, 100_000_000);
        engine.OnBookChanged(book, book.Pending, 5);
        book.Pending.Clear();
        Assert.Equal(2, _sink.Fills.Count);
        Assert.Equal((Price.Parse("0.48"), Quantity.Parse("5")), (_sink.Fills[1].Price, _sink.Fills[1].Quantity));
        Assert.Equal(OrderStatus.Filled, _sink.Updates[^1].Status);
        Assert.Equal(0, engine.RestingCount);
    }

    [Fact]
    public void Cancel_of_a_resting_order_reports_what_filled()
    {
        SimBook book = PolyBook(bids: [(0.48m, 10)]);
        SimMatchingEngine engine = Engine(SimStyle.Polymarket);
        engine.Submit(book, Order("o1", OrderSide.Buy, "0.47", "20", TimeInForce.GoodTillCancelled), 1);
        engine.Cancel("o1", 2);
        Assert.Equal(OrderStatus.Cancelled, _sink.Updates[^1].Status);
        engine.Cancel("o1", 3);
        Assert.Equal(OrderStatus.Rejected, _sink.Updates[^1].Status);
    }

    [Theory]
    [InlineData("1.00", "1", "outside (0, 1)")]
    [InlineData("0.505", "1", "not on the 0.01 tick")]
    [InlineData("0.50", "0", "must be positive")]
    public void Invalid_orders_are_rejected_with_a_reason(string price, string quantity, string reason)
    {
        Engine(SimStyle.Polymarket).Submit(PolyBook(), Order("o1", OrderSide.Buy, price, quantity, TimeInForce.GoodTillCancelled), 1);
        OrderUpdate update = Assert.Single(_sink.Updates);
        Assert.Equal(OrderStatus.Rejected, update.Status);
        Assert.Contains(reason, update.Reason);
    }

    [Fact]
    public void A_client_order_id_is_accepted_once()
    {
        SimMatchingEngine engine = Engine(SimStyle.Polymarket);
        SimBook book = PolyBook();
        engine.Submit(book, Order("same", OrderSide.Buy, "0.40", "1", TimeInForce.GoodTillCancelled), 1);
        engine.Submit(book, Order("same", OrderSide.Buy, "0.40", "1", TimeInForce.GoodTillCancelled), 2);
        Assert.Equal(OrderStatus.Rejected, _sink.Updates[^1].Status);
        Assert.Contains("duplicate", _sink.Updates[^1].Reason);
    }

    private SimMatchingEngine Engine(SimStyle style) => new(style, Price.Parse("0.01"), Price.Parse("0.04"), _sink, "test");

    private static void ShowAtOurPrice(SimBook book, SimMatchingEngine engine, long contracts)
    {
        book.SetPhysical(Outcome.Yes, BookSide.Bid, 480_000, contracts * 1_000_000);
        engine.OnBookChanged(book, book.Pending, 2);
        book.Pending.Clear();
    }

    private static SimBook PolyBook((decimal Price, long Contracts)[]? bids = null, (decimal Price, long Contracts)[]? asks = null)
    {
        var book = new SimBook(0, "P-E01", SimStyle.Polymarket);
        foreach ((decimal p, long c) in bids ?? [])
        {
            book.SetPhysical(Outcome.Yes, BookSide.Bid, (long)(p * 1_000_000), c * 1_000_000);
        }

        foreach ((decimal p, long c) in asks ?? [])
        {
            book.SetPhysical(Outcome.Yes, BookSide.Ask, (long)(p * 1_000_000), c * 1_000_000);
        }

        book.Pending.Clear();
        return book;
    }

    private static OrderRequest Order(string id, OrderSide side, string price, string quantity, TimeInForce tif, bool postOnly = false) =>
        new(id, new MarketHandle(0), "P-E01", Outcome.Yes, side, Price.Parse(price), Quantity.Parse(quantity), tif, postOnly);
}
