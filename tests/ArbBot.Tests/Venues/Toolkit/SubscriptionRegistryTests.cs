using ArbBot.Abstractions.Markets;
using ArbBot.Venues.Toolkit.Streaming;

namespace ArbBot.Tests.Venues.Toolkit;

/// <summary>The shared subscription registry: what a subscribe or unsubscribe call changes, and lookups by every id.</summary>
public sealed class SubscriptionRegistryTests
{
    private static readonly MarketSubscription A = new(new MarketHandle(0), "0xa", "a-yes", "a-no");
    private static readonly MarketSubscription B = new(new MarketHandle(1), "0xb", "b-yes", "b-no");
    private static readonly MarketSubscription C = new(new MarketHandle(2), "KX-C");

    [Fact]
    public void Adding_returns_only_the_markets_not_subscribed_yet()
    {
        var registry = new SubscriptionRegistry();
        Assert.Equal([A, B], registry.Add([A, B]));
        Assert.Equal([C], registry.Add([A, C, B]));
        Assert.Empty(registry.Add([A]));
        Assert.Equal(3, registry.Count);
        Assert.Equal([A, B, C], registry.All.OrderBy(m => m.Handle.Value));
    }

    [Fact]
    public void Every_id_finds_its_market_until_it_is_removed()
    {
        var registry = new SubscriptionRegistry();
        registry.Add([A, B, C]);
        Assert.True(registry.TryGet(B.Handle, out MarketSubscription? byHandle) && byHandle == B);
        Assert.True(registry.TryGetByMarketId("KX-C", out MarketSubscription? byId) && byId == C);
        Assert.True(registry.TryGetByInstrument("a-no", out MarketSubscription? byToken) && byToken == A);

        Assert.Equal([A], registry.Remove([A.Handle, new MarketHandle(99)]));
        Assert.Empty(registry.Remove([A.Handle]));
        Assert.False(registry.TryGet(A.Handle, out _));
        Assert.False(registry.TryGetByMarketId("0xa", out _));
        Assert.False(registry.TryGetByInstrument("a-yes", out _));
        Assert.True(registry.TryGetByInstrument("b-yes", out _));

        Assert.Equal([A], registry.Add([A])); // subscribed again
        Assert.True(registry.TryGetByInstrument("a-yes", out _));
    }

    [Fact]
    public void A_handle_subscribed_again_with_other_ids_replaces_the_old_ones()
    {
        var registry = new SubscriptionRegistry();
        registry.Add([A]);
        var swapped = A with { YesId = "a-no", NoId = "a-yes" };
        Assert.Equal([swapped], registry.Add([swapped]));
        Assert.True(registry.TryGetByInstrument("a-yes", out MarketSubscription? found) && found == swapped);
        Assert.Equal(1, registry.Count);

        var moved = A with { MarketId = "0xa2", YesId = "n-yes", NoId = "n-no" };
        registry.Add([moved]);
        Assert.False(registry.TryGetByMarketId("0xa", out _));
        Assert.False(registry.TryGetByInstrument("a-yes", out _));
        Assert.True(registry.TryGetByMarketId("0xa2", out _));
    }

    [Fact]
    public async Task Concurrent_adds_and_removes_leave_it_consistent()
    {
        var registry = new SubscriptionRegistry();
        MarketSubscription[] markets = Enumerable.Range(0, 200).Select(i => new MarketSubscription(new MarketHandle(i), $"m{i}", $"y{i}", $"n{i}")).ToArray();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(() =>
        {
            for (int round = 0; round < 200; round++)
            {
                MarketSubscription[] mine = markets.Where(m => m.Handle.Value % 4 == worker).ToArray();
                registry.Add(mine);
                registry.Remove(mine.Where(m => m.Handle.Value % 8 == worker).Select(m => m.Handle).ToArray());
            }
        })));

        // Each worker's last round left its markets but those with handle % 8 == worker.
        MarketSubscription[] expected = markets.Where(m => m.Handle.Value % 8 != m.Handle.Value % 4).ToArray();
        Assert.Equal(expected, registry.All.OrderBy(m => m.Handle.Value));
        Assert.All(expected, m => Assert.True(registry.TryGetByInstrument(m.NoId!, out _)));
    }
}
