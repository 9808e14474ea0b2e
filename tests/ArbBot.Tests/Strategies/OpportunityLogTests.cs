using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Abstractions.Strategies;
using ArbBot.Engine.Strategies;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArbBot.Tests.Strategies;

public sealed class OpportunityLogTests
{
    private sealed class Pair : IPairView
    {
        public int Index => 0;

        public string EventId => "E";

        public int LegCount => 0;

        public IBookView Leg(int index) => throw new InvalidOperationException();
    }

    [Fact]
    public void The_same_legs_re_emitted_within_a_second_are_one_opportunity()
    {
        var log = new OpportunityLog(NullLogger.Instance);
        var found = new List<IntentGroup>();
        log.OpportunityFound += found.Add;

        Record(log, "s", 1_000, market: 1);
        Record(log, "s", 1_500, market: 1);   // same legs, 0.5 s later: same opportunity
        Record(log, "s", 2_400, market: 1);   // 0.9 s after the last sighting: still the same
        Record(log, "s", 3_500, market: 1);   // 1.1 s of silence: a new one
        Record(log, "s", 3_600, market: 2);   // other legs: another one
        Record(log, "t", 3_600, market: 2);   // another strategy counts its own

        Assert.Equal(3, log.StatsFor("s").Opportunities);
        Assert.Equal(5, log.StatsFor("s").Groups);
        Assert.Equal(1, log.StatsFor("t").Opportunities);
        Assert.Equal(4, found.Count);
        Assert.Equal(0, log.StatsFor("nobody").Groups);
    }

    [Fact]
    public void Cancels_are_counted_but_are_not_opportunities()
    {
        var log = new OpportunityLog(NullLogger.Instance);
        IntentGroup cancel = IntentGroup.Cancel(42, "edge gone");
        cancel.Stamp(7, "s", "E", 1_000);
        log.Record(cancel);
        Assert.Equal(1, log.StatsFor("s").Cancels);
        Assert.Equal(0, log.StatsFor("s").Opportunities);
    }

    [Fact]
    public void A_group_can_be_emitted_only_once()
    {
        IntentGroup group = Group(1);
        group.Stamp(1, "s", "E", 0);
        Assert.Throws<InvalidOperationException>(() => group.Stamp(2, "s", "E", 0));
    }

    [Fact]
    public void Client_order_ids_carry_group_and_leg()
    {
        string id = Engine.Execution.ClientOrderIds.For(1795306881798001, 1);
        Assert.Equal("arb-1795306881798001-1", id);
        Assert.True(Engine.Execution.ClientOrderIds.TryParse(id, out long group, out int leg));
        Assert.Equal((1795306881798001, 1), (group, leg));
        Assert.False(Engine.Execution.ClientOrderIds.TryParse("someone-else", out _, out _));
        Assert.False(Engine.Execution.ClientOrderIds.TryParse("arb-x-1", out _, out _));
    }

    private static long s_id;

    private static void Record(OpportunityLog log, string strategy, long ms, int market)
    {
        IntentGroup group = Group(market);
        group.Stamp(++s_id, strategy, "E", ms);
        log.Record(group);
    }

    private static IntentGroup Group(int market) =>
        IntentGroup.Single(new OrderIntent(new MarketHandle(market), Outcome.Yes, OrderSide.Buy, Price.Parse("0.40"), Quantity.FromContracts(1), TimeInForce.ImmediateOrCancel), Money.Zero, "test");
}
