using ArbBot.Venues.Toolkit.Execution;

namespace ArbBot.Tests.Venues.Toolkit;

/// <summary>The shared order table: orders by client and venue id, and events that beat the venue's answer handed back with it.</summary>
public sealed class OrderTableTests
{
    private sealed record Order(string ClientId);

    [Fact]
    public void Events_for_an_order_not_answered_yet_come_back_in_order_with_the_answer()
    {
        var table = new OrderTable<Order, string>();
        var order = new Order("c-1");
        Assert.True(table.TryAdd("c-1", order));
        Assert.False(table.TryAdd("c-1", new Order("c-1")), "a client order id is tracked once");

        table.KeepUntilAnswered("v-9", "fill 1");
        table.KeepUntilAnswered("v-9", "fill 2");
        table.KeepUntilAnswered("v-other", "not ours");
        Assert.False(table.TryGetByVenueId("v-9", out _));

        Assert.Equal(["fill 1", "fill 2"], table.Answer("v-9", order));
        Assert.True(table.TryGetByVenueId("v-9", out Order? found) && ReferenceEquals(found, order));
        Assert.True(table.TryGetByClientId("c-1", out found) && ReferenceEquals(found, order));
        Assert.Empty(table.Answer("v-9", order)); // handed back once
        Assert.Equal([order], table.Answered);
        Assert.Equal(["not ours"], table.Answer("v-other", new Order("c-2")));
    }

    [Fact]
    public void An_order_found_again_at_the_venue_replaces_the_one_tracked_under_its_client_id()
    {
        var table = new OrderTable<Order, int>();
        table.Set("c-1", new Order("first"));
        var adopted = new Order("adopted");
        table.Set("c-1", adopted);
        Assert.True(table.TryGetByClientId("c-1", out Order? found) && ReferenceEquals(found, adopted));
        Assert.Single(table.All);
    }
}
