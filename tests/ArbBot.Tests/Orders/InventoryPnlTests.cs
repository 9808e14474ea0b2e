using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Engine.Books;
using ArbBot.Engine.Orders;

namespace ArbBot.Tests.Orders;

/// <summary>Cost basis, realised and locked-in P&amp;L, unhedged exposure and settlement, to the micro-dollar.</summary>
public sealed class InventoryPnlTests
{
    private static readonly MarketHandle A = new(0);
    private static readonly MarketHandle B = new(1);
    private static readonly MarketHandle Other = new(2);
    private int _trade;

    [Fact]
    public void A_yes_on_one_venue_and_a_no_on_the_other_are_one_hedged_pair()
    {
        Inventory inventory = New();
        inventory.OnFill(0, Fill(A, Outcome.Yes, OrderSide.Buy, "0.45", "10", "0.18"));
        EventExposure legged = inventory.ExposureOf(0);
        Assert.Equal(Quantity.Parse("10"), legged.Unhedged);
        Assert.Equal(Outcome.Yes, legged.ExcessOutcome);
        Assert.Equal(Money.Parse("4.68"), legged.UnhedgedCost);
        Assert.Equal(Price.Parse("0.468"), legged.UnhedgedAverageCost);
        Assert.Equal(Money.Zero, legged.LockedIn);

        inventory.OnFill(0, Fill(B, Outcome.No, OrderSide.Buy, "0.50", "6", "0.06"));
        EventExposure x = inventory.ExposureOf(0);
        Assert.Equal(Quantity.Parse("6"), x.Matched);
        Assert.Equal(Quantity.Parse("4"), x.Unhedged);
        Assert.Equal(Money.Parse("1.872"), x.UnhedgedCost); // 4/10 of 4.68
        Assert.Equal(Money.Parse("6") - Money.Parse("2.808") - Money.Parse("3.06"), x.LockedIn); // $1 a pair minus both sides' share of cost
        Assert.Equal(Money.Parse("7.74"), x.GrossExposure);
        Assert.Equal(x.UnhedgedCost, inventory.TotalUnhedgedCost());
    }

    [Fact]
    public void Selling_takes_out_average_cost_and_realises_the_difference()
    {
        Inventory inventory = New();
        inventory.OnFill(0, Fill(A, Outcome.Yes, OrderSide.Buy, "0.40", "10", "0.10"));
        inventory.OnFill(0, Fill(A, Outcome.Yes, OrderSide.Buy, "0.50", "10", "0.10")); // held 20 for $9.20
        inventory.OnFill(0, Fill(A, Outcome.Yes, OrderSide.Sell, "0.30", "5", "0.05"));

        Assert.Equal(Quantity.Parse("15"), inventory.Position(A, Outcome.Yes));
        Assert.Equal(Money.Parse("6.90"), inventory.Cost(A, Outcome.Yes)); // 9.20 x 15/20
        Assert.Equal(Money.Parse("1.45") - Money.Parse("2.30"), inventory.Realised); // proceeds 1.50 - 0.05 fee, cost out 2.30
        Assert.Equal(inventory.Realised, inventory.RealisedOn(0));
    }

    [Fact]
    public void A_share_of_cost_that_is_not_whole_micro_dollars_never_shows_more_profit_than_exact()
    {
        // 3 held for 3 x 0.333334 + a 0.000001 fee = 1.000003; selling 1 at 0.40: the exact share is 0.333334333...,
        // charged to the sale rounded up (0.333335: realised 0.066665, not 0.066666) and taken out of the cost rounded down.
        Inventory inventory = New();
        inventory.OnFill(0, Fill(A, Outcome.Yes, OrderSide.Buy, "0.333334", "3", "0.000001"));
        inventory.OnFill(0, Fill(A, Outcome.Yes, OrderSide.Sell, "0.40", "1", "0"));
        Assert.Equal(Money.Parse("0.066665"), inventory.Realised);
        Assert.Equal(Money.Parse("0.666669"), inventory.Cost(A, Outcome.Yes));
        Assert.True(inventory.Realised.Micros * 3 <= (400_000 * 3) - 1_000_003, "realised above exact");

        // Locked-in takes each side's share of cost rounded up: 1 matched of 2 YES held for 0.666669 -> 0.333335.
        inventory.OnFill(0, Fill(B, Outcome.No, OrderSide.Buy, "0.50", "1", "0"));
        Assert.Equal(Money.Parse("0.166665"), inventory.ExposureOf(0).LockedIn);
    }

    [Fact]
    public void On_a_venue_with_one_signed_position_yes_and_no_held_together_close_at_once()
    {
        // Kalshi: buying NO while long YES sells YES. 10 YES at 0.45 (fee 0.18) = 4.68, then 6 NO at 0.50 (fee 0.06) = 3.06:
        // 6 pairs close, $6 comes back, realised 6 - 6/10 of 4.68 - 3.06 = 0.132; 4 YES stay, costing 1.872.
        Inventory inventory = New();
        inventory.NetOutcomes(A);
        inventory.OnFill(0, Fill(A, Outcome.Yes, OrderSide.Buy, "0.45", "10", "0.18"));
        inventory.OnFill(0, Fill(A, Outcome.No, OrderSide.Buy, "0.50", "6", "0.06"));
        Assert.Equal((Quantity.Parse("4"), Quantity.Zero), (inventory.Position(A, Outcome.Yes), inventory.Position(A, Outcome.No)));
        Assert.Equal((Money.Parse("1.872"), Money.Zero), (inventory.Cost(A, Outcome.Yes), inventory.Cost(A, Outcome.No)));
        Assert.Equal(Money.Parse("0.132"), inventory.Realised);
        Assert.Equal(Money.Parse("1.74"), inventory.CashOut(A)); // 4.68 + 3.06 paid, 6.00 back
        Assert.Equal(Money.Zero, inventory.ExposureOf(0).LockedIn); // nothing left to lock in: it was realised

        // The same fills on a venue that holds YES and NO apart (Polymarket's tokens) stay a locked-in pair.
        Inventory apart = New();
        apart.OnFill(0, Fill(A, Outcome.Yes, OrderSide.Buy, "0.45", "10", "0.18"));
        apart.OnFill(0, Fill(A, Outcome.No, OrderSide.Buy, "0.50", "6", "0.06"));
        Assert.Equal((Quantity.Parse("10"), Quantity.Parse("6"), Money.Zero), (apart.Position(A, Outcome.Yes), apart.Position(A, Outcome.No), apart.Realised));
        Assert.Equal(Money.Parse("0.132"), apart.ExposureOf(0).LockedIn);
    }

    [Fact]
    public void Settlement_pays_the_winner_and_clears_the_event()
    {
        Inventory inventory = New();
        inventory.OnFill(0, Fill(A, Outcome.Yes, OrderSide.Buy, "0.45", "10", "0.18"));
        inventory.OnFill(0, Fill(B, Outcome.No, OrderSide.Buy, "0.50", "10", "0.10"));
        Money lockedIn = inventory.ExposureOf(0).LockedIn;

        Money booked = inventory.Settle(0, Outcome.No, 1_000);
        Assert.Equal(lockedIn, booked); // the pair paid $10 for $9.78
        Assert.Equal(Money.Parse("0.22"), booked);
        Assert.Equal(Quantity.Zero, inventory.Position(A, Outcome.Yes));
        Assert.Equal(Money.Zero, inventory.ExposureOf(0).GrossExposure);
        Assert.Equal(booked, inventory.Realised);
    }

    [Fact]
    public void Realised_today_starts_again_at_utc_midnight()
    {
        Inventory inventory = New();
        long day = 86_400_000;
        inventory.OnFill(0, Fill(A, Outcome.Yes, OrderSide.Buy, "0.50", "10", "0", ms: (3 * day) + 5));
        inventory.OnFill(0, Fill(A, Outcome.Yes, OrderSide.Sell, "0.40", "5", "0", ms: (3 * day) + 10));
        Assert.Equal(Money.Parse("-0.50"), inventory.RealisedToday);
        inventory.OnFill(0, Fill(A, Outcome.Yes, OrderSide.Sell, "0.60", "5", "0", ms: (4 * day) + 1));
        Assert.Equal(Money.Parse("0.50"), inventory.RealisedToday);
        Assert.Equal(Money.Zero, inventory.Realised);
    }

    [Fact]
    public void Open_buys_count_toward_exposure_until_filled_or_done()
    {
        Inventory inventory = New();
        var request = new OrderRequest("c1", A, "A", Outcome.Yes, OrderSide.Buy, Price.Parse("0.40"), Quantity.Parse("10"), TimeInForce.GoodTillCancelled);
        inventory.OnOrderSent(request);
        Assert.Equal(Money.Parse("4"), inventory.ExposureOf(0).OpenBuys);

        inventory.OnFill(0, Fill(A, Outcome.Yes, OrderSide.Buy, "0.40", "4", "0", clientOrderId: "c1")); // the fill lands before the update
        Assert.Equal(Money.Parse("2.40"), inventory.OpenBuyNotional(A));
        Assert.Equal(Quantity.Parse("6"), inventory.OpenQuantity(A, Outcome.Yes, OrderSide.Buy));
        inventory.OnOrderUpdate(0, new OrderUpdate("c1", "v", OrderStatus.Cancelled, Quantity.Parse("4"), Quantity.Zero, null, 0));
        Assert.Equal(Money.Zero, inventory.OpenBuyNotional(A));
        Assert.Equal(Money.Parse("1.60"), inventory.ExposureOf(0).GrossExposure);
        Assert.Equal(-1, inventory.EventOf(Other));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Settling_random_positions_books_exactly_the_cash_they_made_against_a_brute_force_ledger(bool netsOutcomes)
    {
        // Random buys (and some sells of what is held) on one market, then its resolution: every
        // contract ends paid out or worthless, so what is realised in all must be the plain cash
        // ledger (sales in, buys and fees out, $1 a winning contract and, where YES and NO net, $1 a
        // closed pair), less at most one micro-dollar for each sale or netting that took a share of cost.
        var random = new Random(20261206 + (netsOutcomes ? 1 : 0));
        for (int round = 0; round < 500; round++)
        {
            Inventory inventory = New();
            if (netsOutcomes)
            {
                inventory.NetOutcomes(A);
            }

            long ledger = 0, held0 = 0, held1 = 0;
            int shares = 0;
            int fills = random.Next(1, 12);
            for (int f = 0; f < fills; f++)
            {
                Outcome outcome = random.Next(2) == 0 ? Outcome.Yes : Outcome.No;
                long held = outcome == Outcome.Yes ? held0 : held1;
                bool sell = held > 0 && random.Next(4) == 0;
                long size = sell ? random.NextInt64(1, held + 1) : random.NextInt64(1, 50_000_000);
                long price = random.NextInt64(1, 1_000_000);
                long fee = random.NextInt64(0, 30_000);
                inventory.OnFill(0, new Fill("c", "v", $"t{++_trade}", A, outcome, sell ? OrderSide.Sell : OrderSide.Buy,
                    Price.FromMicros(price), Quantity.FromMicros(size), Money.FromMicros(fee), false, 0));
                long notional = (long)(((Int128)price * size) + (sell ? 0 : 999_999)) / 1_000_000; // buys round up, sales down
                ledger += sell ? notional - fee : -notional - fee;
                shares += sell ? 1 : 0;
                if (outcome == Outcome.Yes)
                {
                    held0 += sell ? -size : size;
                }
                else
                {
                    held1 += sell ? -size : size;
                }

                if (netsOutcomes && held0 > 0 && held1 > 0)
                {
                    long pairs = Math.Min(held0, held1); // one signed position: each YES+NO pair pays its $1 back at once
                    ledger += pairs;
                    held0 -= pairs;
                    held1 -= pairs;
                    shares += 1;
                }
            }

            Outcome winner = random.Next(2) == 0 ? Outcome.Yes : Outcome.No;
            long payout = winner == Outcome.Yes ? held0 : held1;
            MarketSettlement settled = inventory.SettleMarket(A, winner, 1_000);
            ledger += payout;

            Assert.Equal(Money.FromMicros(payout), settled.Payout);
            Assert.Equal(Quantity.FromMicros(held0), settled.Yes);
            Assert.Equal(Quantity.FromMicros(held1), settled.No);
            Assert.True(inventory.Position(A, Outcome.Yes).IsZero && inventory.Position(A, Outcome.No).IsZero);
            long shortBy = ledger - inventory.Realised.Micros;
            Assert.True(shortBy >= 0 && shortBy <= 2 * shares, $"round {round}: realised {inventory.Realised.Micros}, ledger {ledger}, {shares} shares taken");
            if (shares == 0)
            {
                Assert.Equal(ledger, inventory.Realised.Micros); // buys and a resolution only: exact to the micro-dollar
            }
        }
    }

    private static Inventory New()
    {
        var inventory = new Inventory();
        inventory.MapEvents([new MarketPair("E1", [A, B])]);
        return inventory;
    }

    private Fill Fill(MarketHandle market, Outcome outcome, OrderSide side, string price, string quantity, string fee, long ms = 0, string clientOrderId = "c") =>
        new(clientOrderId, "v", $"t{++_trade}", market, outcome, side, Price.Parse(price), Quantity.Parse(quantity), Money.Parse(fee), false, ms);
}
