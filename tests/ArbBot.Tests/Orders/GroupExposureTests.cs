using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Engine.Books;
using ArbBot.Engine.Orders;

namespace ArbBot.Tests.Orders;

/// <summary>
/// An outcome group's exposure against a brute-force oracle: random positions over random groups
/// (some not exhaustive, some with a market already resolved) are paid out ending by ending, the
/// way settlement would, and every figure, the unwind plan and each hedge plan must agree.
/// </summary>
public sealed class GroupExposureTests
{
    private int _trade;

    [Fact]
    public void Payoffs_unwind_and_hedge_plans_agree_with_paying_out_every_ending()
    {
        var random = new Random(20261207);
        int unwound = 0, hedgedBothWays = 0, withResolved = 0;
        for (int round = 0; round < 4_000; round++)
        {
            int outcomes = random.Next(1, 7);
            bool exhaustive = outcomes > 1 && random.Next(2) == 0;
            int[] venues = Enumerable.Range(0, outcomes).Select(_ => random.Next(1, 3)).ToArray();
            var (inventory, marketsOf) = NewGroup(venues, exhaustive);

            // Buys (and some sales of what is held) in whole and fractional contracts.
            long[,] held = new long[outcomes, 2];
            int fills = random.Next(0, 3 * outcomes);
            for (int f = 0; f < fills; f++)
            {
                int w = random.Next(outcomes);
                MarketHandle market = marketsOf[w][random.Next(marketsOf[w].Length)];
                Outcome outcome = random.Next(2) == 0 ? Outcome.Yes : Outcome.No;
                long there = inventory.Position(market, outcome).Micros;
                bool sell = there > 0 && random.Next(5) == 0;
                long size = sell ? random.NextInt64(1, there + 1) : random.Next(1, 4) * 1_000_000L * random.Next(1, 20) / (random.Next(3) == 0 ? 4 : 1);
                inventory.OnFill(0, new Fill("c", "v", $"t{++_trade}", market, outcome, sell ? OrderSide.Sell : OrderSide.Buy,
                    Price.FromMicros(random.Next(10_000, 990_000)), Quantity.FromMicros(size), Money.FromMicros(random.Next(0, 20_000)), false, 0));
            }

            // Sometimes a market resolves first: NO (that outcome can no longer win), or YES (it won).
            int resolvedYes = -1;
            var resolvedNo = new HashSet<int>();
            int kind = random.Next(6);
            if (kind < 2)
            {
                int w = random.Next(outcomes);
                MarketHandle market = marketsOf[w][random.Next(marketsOf[w].Length)];
                inventory.SettleMarket(market, kind == 0 ? Outcome.No : Outcome.Yes, 1_000);
                if (kind == 0)
                {
                    resolvedNo.Add(w);
                }
                else
                {
                    resolvedYes = w;
                }

                withResolved++;
            }

            for (int w = 0; w < outcomes; w++)
            {
                foreach (MarketHandle market in marketsOf[w])
                {
                    held[w, 0] += inventory.Position(market, Outcome.Yes).Micros;
                    held[w, 1] += inventory.Position(market, Outcome.No).Micros;
                }
            }

            // The endings still possible, and what the positions pay in each: a YES pays if its outcome wins, a NO if another does (or none).
            var endings = new List<int>();
            for (int w = 0; w < outcomes; w++)
            {
                if (resolvedYes >= 0 ? w == resolvedYes : !resolvedNo.Contains(w))
                {
                    endings.Add(w);
                }
            }

            if (!exhaustive && resolvedYes < 0)
            {
                endings.Add(-1); // none of the outcomes wins
            }

            GroupExposure x = inventory.GroupExposureOf(0);
            long[] pays = endings.Select(e => PayIf(held, e)).ToArray();
            string where = $"round {round}: {outcomes} outcomes, exhaustive {exhaustive}, pays [{string.Join(", ", pays)}]";
            Assert.True(pays.Min() == x.MinPayoff.Micros, where);
            Assert.True(pays.Max() == x.MaxPayoff.Micros, where);
            Assert.Equal(pays.Min() == pays.Max(), x.IsBalanced);

            // The unwind plan sells only what is held and leaves every ending paying the kept payoff.
            long[,] after = (long[,])held.Clone();
            for (int w = 0; w < outcomes; w++)
            {
                Assert.InRange(x.SellYes(w).Micros, 0, held[w, 0]);
                Assert.InRange(x.SellNo(w).Micros, 0, held[w, 1]);
                after[w, 0] -= x.SellYes(w).Micros;
                after[w, 1] -= x.SellNo(w).Micros;
            }

            Assert.All(endings, e => Assert.True(PayIf(after, e) == x.KeptPayoff.Micros, $"{where}: after the unwind plan ending {e} pays {PayIf(after, e)}, kept {x.KeptPayoff.Micros}"));
            if (x.IsBalanced)
            {
                Assert.Equal(Money.Zero, x.UnhedgedCost);
            }

            unwound += x.IsBalanced ? 0 : 1;

            // Every hedge plan buys only positive quantities and leaves every ending paying what it says.
            var references = new Quantity[2];
            int plans = x.HedgeReferences(references);
            hedgedBothWays += plans == 2 ? 1 : 0;
            for (int plan = 0; plan < plans; plan++)
            {
                var yes = new Quantity[outcomes];
                var no = new Quantity[outcomes];
                Quantity total = x.PlanHedge(references[plan], yes, no);
                long[,] hedged = (long[,])held.Clone();
                for (int w = 0; w < outcomes; w++)
                {
                    Assert.True(yes[w].Micros >= 0 && no[w].Micros >= 0, where);
                    hedged[w, 0] += yes[w].Micros;
                    hedged[w, 1] += no[w].Micros;
                }

                Assert.All(endings, e => Assert.True(PayIf(hedged, e) == total.Micros, $"{where}: after hedge plan {plan} ending {e} pays {PayIf(hedged, e)}, plan says {total.Micros}"));
                Assert.True(total >= x.MaxPayoff, where);
            }
        }

        Assert.True(unwound > 2_000 && hedgedBothWays > 1_000 && withResolved > 1_000, $"cases: {unwound} unbalanced, {hedgedBothWays} with two hedge plans, {withResolved} with a resolved market");
    }

    [Fact]
    public void A_pair_alone_is_the_one_outcome_case_figures_equal_the_pair_exposure()
    {
        // A pair's YES/NO arithmetic (EventExposure) and a one-outcome group that may end with "none"
        // (its NO winning) must give the same unhedged cost and locked-in profit on any positions.
        var random = new Random(7);
        for (int round = 0; round < 2_000; round++)
        {
            var (inventory, marketsOf) = NewGroup([2], exhaustive: false);
            for (int f = random.Next(1, 8); f > 0; f--)
            {
                MarketHandle market = marketsOf[0][random.Next(2)];
                inventory.OnFill(0, new Fill("c", "v", $"t{++_trade}", market, random.Next(2) == 0 ? Outcome.Yes : Outcome.No, OrderSide.Buy,
                    Price.FromMicros(random.Next(10_000, 990_000)), Quantity.FromMicros(random.NextInt64(1, 30_000_000)), Money.FromMicros(random.Next(0, 20_000)), false, 0));
            }

            EventExposure pair = inventory.ExposureOf(0);
            GroupExposure group = inventory.GroupExposureOf(0);
            Assert.Equal(pair.Unhedged, group.Unhedged);
            Assert.Equal(pair.UnhedgedCost, group.UnhedgedCost);
            Assert.Equal(pair.LockedIn, group.LockedIn);
            Assert.Equal(pair.GrossExposure, group.GrossExposure);
        }
    }

    [Fact]
    public void A_yes_basket_missing_one_leg_is_unwound_by_selling_the_filled_legs_and_hedged_by_buying_the_missing_one()
    {
        var (inventory, marketsOf) = NewGroup([1, 1, 1], exhaustive: true);
        inventory.OnFill(0, new Fill("c", "v", "a", marketsOf[0][0], Outcome.Yes, OrderSide.Buy, Price.Parse("0.30"), Quantity.FromContracts(10), Money.Zero, false, 0));
        inventory.OnFill(0, new Fill("c", "v", "b", marketsOf[1][0], Outcome.Yes, OrderSide.Buy, Price.Parse("0.25"), Quantity.FromContracts(10), Money.Zero, false, 0));

        GroupExposure x = inventory.GroupExposureOf(0);
        Assert.Equal(Quantity.Zero, x.MinPayoff);
        Assert.Equal(Quantity.FromContracts(10), x.MaxPayoff);
        Assert.Equal([Quantity.FromContracts(10), Quantity.FromContracts(10), Quantity.Zero], [x.SellYes(0), x.SellYes(1), x.SellYes(2)]);
        Assert.Equal(Money.Parse("5.50"), x.UnhedgedCost);
        Assert.Equal(Money.Zero, x.LockedIn);

        Span<Quantity> references = stackalloc Quantity[2];
        Assert.Equal(2, x.HedgeReferences(references));
        var yes = new Quantity[3];
        var no = new Quantity[3];
        Assert.Equal(Quantity.FromContracts(10), x.PlanHedge(references[0], yes, no));
        Assert.Equal([Quantity.Zero, Quantity.Zero, Quantity.FromContracts(10)], yes);
        Assert.Equal(Quantity.FromContracts(20), x.PlanHedge(references[1], yes, no));
        Assert.Equal([Quantity.FromContracts(10), Quantity.FromContracts(10), Quantity.Zero], no);

        // Once the third leg is bought every ending pays $10: nothing is unhedged and $10 - $5.50 - $4 is locked in.
        inventory.OnFill(0, new Fill("c", "v", "c", marketsOf[2][0], Outcome.Yes, OrderSide.Buy, Price.Parse("0.40"), Quantity.FromContracts(10), Money.Zero, false, 0));
        x = inventory.GroupExposureOf(0);
        Assert.True(x.IsBalanced);
        Assert.Equal(Money.Zero, x.UnhedgedCost);
        Assert.Equal(Money.Parse("0.50"), x.LockedIn);
        Assert.Equal(Money.Zero, inventory.TotalUnhedgedCost());
        Assert.Equal(Money.Parse("0.50"), inventory.TotalLockedIn());
    }

    [Fact]
    public void Once_every_outcome_resolved_a_new_fill_opens_the_event_again_while_an_outcome_ruled_out_early_stays_out()
    {
        var (inventory, marketsOf) = NewGroup([1, 1, 1], exhaustive: true);

        // Outcome 0 is ruled out early: a YES on the other two is balanced (one of them wins).
        inventory.SettleMarket(marketsOf[0][0], Outcome.No, 1_000);
        Buy(inventory, marketsOf[1][0], Outcome.Yes, 10);
        Buy(inventory, marketsOf[2][0], Outcome.Yes, 10);
        Assert.True(inventory.GroupExposureOf(0).IsBalanced);

        // The round ends (outcome 1 wins) and a simulated venue opens the same markets for the next one:
        // YES on two of the three is no longer balanced, the third can win again.
        inventory.SettleMarket(marketsOf[1][0], Outcome.Yes, 2_000);
        inventory.SettleMarket(marketsOf[2][0], Outcome.No, 2_000);
        Buy(inventory, marketsOf[0][0], Outcome.Yes, 10);
        Buy(inventory, marketsOf[1][0], Outcome.Yes, 10);
        GroupExposure x = inventory.GroupExposureOf(0);
        Assert.False(x.IsBalanced);
        Assert.True(x.CanWin(2));
        Assert.Equal(Quantity.Zero, x.PayoffIf(2));
    }

    private void Buy(Inventory inventory, MarketHandle market, Outcome outcome, long contracts) =>
        inventory.OnFill(0, new Fill("c", "v", $"t{++_trade}", market, outcome, OrderSide.Buy, Price.Parse("0.30"), Quantity.FromContracts(contracts), Money.Zero, false, 0));

    private static long PayIf(long[,] held, int winner)
    {
        long pays = 0;
        for (int w = 0; w < held.GetLength(0); w++)
        {
            pays += w == winner ? held[w, 0] : held[w, 1];
        }

        return pays;
    }

    /// <summary>An inventory with one outcome group: outcome w is a pair with <c>venues[w]</c> markets.</summary>
    private static (Inventory Inventory, MarketHandle[][] MarketsOf) NewGroup(int[] venues, bool exhaustive)
    {
        var inventory = new Inventory();
        var marketsOf = new MarketHandle[venues.Length][];
        int next = 0;
        for (int w = 0; w < venues.Length; w++)
        {
            marketsOf[w] = Enumerable.Range(next, venues[w]).Select(m => new MarketHandle(m)).ToArray();
            next += venues[w];
        }

        inventory.MapEvents(marketsOf.Select((m, w) => new MarketPair($"O{w}", m)).ToList());
        inventory.MapGroups([(Enumerable.Range(0, venues.Length).ToArray(), exhaustive)]);
        return (inventory, marketsOf);
    }
}
