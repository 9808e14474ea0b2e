using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Engine.Execution;
using ArbBot.Engine.Risk;

namespace ArbBot.Tests.Execution;

/// <summary>The order state machine, the circuit breaker and the rate limit, on their own.</summary>
public sealed class OrderStateTests
{
    [Theory]
    [InlineData(OrderStatus.New, OrderStatus.Acked, true)]
    [InlineData(OrderStatus.New, OrderStatus.Rejected, true)]
    [InlineData(OrderStatus.New, OrderStatus.Filled, true)]
    [InlineData(OrderStatus.Acked, OrderStatus.PartiallyFilled, true)]
    [InlineData(OrderStatus.Acked, OrderStatus.Expired, true)]
    [InlineData(OrderStatus.Acked, OrderStatus.Rejected, false)] // a refused cancel is not a rejected order
    [InlineData(OrderStatus.Acked, OrderStatus.New, false)]
    [InlineData(OrderStatus.PartiallyFilled, OrderStatus.Acked, false)] // a late ack after a fill
    [InlineData(OrderStatus.PartiallyFilled, OrderStatus.Cancelled, true)]
    [InlineData(OrderStatus.Filled, OrderStatus.Cancelled, false)]
    [InlineData(OrderStatus.Cancelled, OrderStatus.Filled, false)]
    [InlineData(OrderStatus.Rejected, OrderStatus.Acked, false)]
    public void Orders_only_move_forward(OrderStatus from, OrderStatus to, bool allowed) =>
        Assert.Equal(allowed, ManagedOrder.CanMove(from, to));

    [Fact]
    public void Fills_drive_the_state_even_when_updates_come_late_or_out_of_order()
    {
        var order = new ManagedOrder(new OrderRequest("c1", new MarketHandle(0), "M", Outcome.Yes, OrderSide.Buy, Price.Parse("0.50"), Quantity.Parse("10"), TimeInForce.ImmediateOrCancel), 0, "v", 1, 0, OrderRole.Strategy, 0, 0);
        order.AddFill(new Fill("c1", "v1", "t1", new MarketHandle(0), Outcome.Yes, OrderSide.Buy, Price.Parse("0.49"), Quantity.Parse("4"), Money.Parse("0.02"), false, 0));
        Assert.Equal(OrderStatus.PartiallyFilled, order.Status);
        Assert.False(order.Apply(new OrderUpdate("c1", "v1", OrderStatus.Acked, Quantity.Zero, Quantity.Parse("10"), null, 0))); // the ack arrives after the fill

        order.AddFill(new Fill("c1", "v1", "t2", new MarketHandle(0), Outcome.Yes, OrderSide.Buy, Price.Parse("0.50"), Quantity.Parse("6"), Money.Parse("0.03"), false, 0));
        Assert.Equal(OrderStatus.Filled, order.Status);
        Assert.True(order.IsDone);
        Assert.Equal(Money.Parse("4.96"), order.Notional);
        Assert.Equal(Money.Parse("0.05"), order.Fees);
        Assert.False(order.Apply(new OrderUpdate("c1", "v1", OrderStatus.Cancelled, Quantity.Parse("10"), Quantity.Zero, "late cancel", 0)));
        Assert.Equal(OrderStatus.Filled, order.Status);
    }

    [Fact]
    public void The_breaker_opens_after_errors_in_a_row_and_resumes_after_the_cooldown()
    {
        var breaker = new CircuitBreaker(3, TimeSpan.FromSeconds(1));
        long t = 1_000_000;
        long second = System.Diagnostics.Stopwatch.Frequency;
        Assert.False(breaker.RecordError(t));
        breaker.RecordSuccess(); // a success in between resets the run
        Assert.False(breaker.RecordError(t));
        Assert.False(breaker.RecordError(t));
        Assert.False(breaker.IsOpen(t));
        Assert.True(breaker.RecordError(t));
        Assert.True(breaker.IsOpen(t + (second / 2)));
        Assert.False(breaker.IsOpen(t + second + 1)); // cooldown over: orders go again

        // The first order after the cooldown is a trial: one error opens it again at once.
        Assert.True(breaker.RecordError(t + second + 2));
        Assert.True(breaker.IsOpen(t + second + 3));
        Assert.False(breaker.IsOpen(t + (3 * second)));
        breaker.RecordSuccess();
        Assert.False(breaker.RecordError(t + (3 * second)));
        Assert.Equal(2, breaker.Trips);
    }

    [Fact]
    public void The_rate_limit_refills_at_its_rate_up_to_its_burst()
    {
        long second = System.Diagnostics.Stopwatch.Frequency;
        var bucket = new TokenBucket(perSecond: 4, burst: 4);
        long t = System.Diagnostics.Stopwatch.GetTimestamp() + 1; // at or after the bucket's own start
        Assert.True(bucket.Has(4, t));
        bucket.Take(4, t);
        Assert.False(bucket.Has(1, t));
        Assert.True(bucket.Has(2, t + (second / 2) + 1));
        Assert.False(bucket.Has(3, t + (second / 2) + 1));
        Assert.True(bucket.Has(4, t + (10 * second)));
        Assert.False(bucket.Has(5, t + (10 * second))); // never above the burst
    }
}
