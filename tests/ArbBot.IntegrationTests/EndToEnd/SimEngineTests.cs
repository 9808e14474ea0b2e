using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Engine.Books;
using ArbBot.Engine.Hosting;
using ArbBot.Engine.Kernel;
using ArbBot.IntegrationTests.Support;

namespace ArbBot.IntegrationTests.EndToEnd;

[Collection(TimingSensitiveCollection.Name)]
public sealed class SimEngineTests
{
    [Fact]
    public async Task Books_move_on_both_sim_venues_and_none_is_stale()
    {
        await using EngineHost host = EngineFixture.Create(EngineFixture.Sims());
        await host.StartAsync(CancellationToken.None);
        Assert.Empty(host.StartupErrors);

        Assert.True(await EngineFixture.WaitUntil(async () => (await host.SummarizeAsync()).StaleBooks == 0, TimeSpan.FromSeconds(10)));
        string[] before = await TopOfBooks(host);
        string[] after = before;
        EngineSummary summary = await host.SummarizeAsync();
        bool Moved() => before.Zip(after).Count(p => p.First != p.Second) >= 6 && summary.Venues.All(v => v.Deltas > 100);
        Assert.True(await EngineFixture.WaitUntil(async () =>
        {
            after = await TopOfBooks(host);
            summary = await host.SummarizeAsync();
            return Moved();
        }, TimeSpan.FromSeconds(30)), "the simulated books did not move");

        Assert.Equal(8, summary.Books);
        Assert.Equal(0, summary.StaleBooks);
        Assert.All(summary.Venues, v =>
        {
            Assert.Equal("connected", v.Status);
            Assert.True(v.Deltas > 100, $"{v.Name} applied only {v.Deltas} deltas");
            Assert.Equal(0, v.Rejected);
        });
        int moved = before.Zip(after).Count(p => p.First != p.Second);
        Assert.True(moved >= 6, $"only {moved} of 8 books changed:\n{string.Join("\n", before.Zip(after))}");
    }

    [Fact]
    public async Task Every_book_has_sane_levels_bids_below_asks_on_the_tick()
    {
        await using EngineHost host = EngineFixture.Create(EngineFixture.Sims());
        await host.StartAsync(CancellationToken.None);
        // Once every book is live and has taken a few hundred deltas since, its levels have been through many changes.
        Assert.True(await EngineFixture.WaitUntil(async () => (await host.SummarizeAsync()) is { StaleBooks: 0 } s && s.Venues.All(v => v.Deltas > 200), TimeSpan.FromSeconds(30)));

        List<string> problems = await host.Kernel.InvokeAsync(() =>
        {
            var found = new List<string>();
            BookStore books = host.Kernel.Books;
            for (int i = 0; i < books.Count; i++)
            {
                MarketBook book = books[new MarketHandle(i)];
                foreach (Outcome outcome in new[] { Outcome.Yes, Outcome.No })
                {
                    foreach (BookSide side in new[] { BookSide.Bid, BookSide.Ask })
                    {
                        int count = book.LevelCount(outcome, side);
                        if (count == 0)
                        {
                            found.Add($"{book.VenueName}/{book.MarketId} {outcome} {side}: empty");
                        }

                        for (int k = 0; k < count; k++)
                        {
                            PriceLevel level = book.GetLevel(outcome, side, k);
                            if (!level.Price.IsOnTick(Price.Cent) || !level.Quantity.IsPositive)
                            {
                                found.Add($"{book.VenueName}/{book.MarketId} {outcome} {side}[{k}] = {level}");
                            }

                            if (k > 0 && (side == BookSide.Bid ? level.Price >= book.GetLevel(outcome, side, k - 1).Price : level.Price <= book.GetLevel(outcome, side, k - 1).Price))
                            {
                                found.Add($"{book.VenueName}/{book.MarketId} {outcome} {side} not sorted best first at {k}");
                            }
                        }
                    }
                }
            }

            return found;
        });
        Assert.Empty(problems);
    }

    [Fact]
    public async Task Sequence_gaps_are_caught_and_books_recover_with_a_new_epoch()
    {
        await using EngineHost host = EngineFixture.Create(EngineFixture.Sims("      gap_every: \"40\""));
        await host.StartAsync(CancellationToken.None);

        // A summary is taken on the kernel thread in one go: when it shows no stale book, every gap
        // counted in it has been answered with a snapshot.
        EngineSummary? settled = null;
        Assert.True(await EngineFixture.WaitUntil(async () =>
        {
            settled = await host.SummarizeAsync();
            return settled.StaleBooks == 0 && settled.Venues.Single(v => v.Name == "sim-kalshi").Gaps > 5;
        }, TimeSpan.FromSeconds(10)), "gaps were not detected, or books did not recover");

        VenueSummary kalshi = settled!.Venues.Single(v => v.Name == "sim-kalshi");
        Assert.True(kalshi.Snapshots >= 4 + kalshi.Gaps, $"each gap should bring a fresh snapshot: {kalshi.Snapshots} snapshots for {kalshi.Gaps} gaps");
        int maxEpoch = await host.Kernel.InvokeAsync(() => Enumerable.Range(0, 4).Max(i => host.Kernel.Books[new MarketHandle(i * 2)].Epoch));
        Assert.True(maxEpoch > 0);
        Assert.Equal(0, settled.Venues.Single(v => v.Name == "sim-poly").Gaps);
    }

    [Fact]
    public async Task Orders_round_trip_through_the_sim_executor_as_kernel_events()
    {
        await using EngineHost host = EngineFixture.Create(EngineFixture.Sims());
        var executions = new ExecutionRecorder(host.Kernel);
        host.AddListener(executions);
        await host.StartAsync(CancellationToken.None);
        Assert.True(await EngineFixture.WaitUntil(async () => (await host.SummarizeAsync()).StaleBooks == 0, TimeSpan.FromSeconds(10)));

        VenueRuntime poly = host.Venues.Single(v => v.Name == "sim-poly");
        MarketSubscription market = poly.Subscriptions[0];
        PriceLevel ask = await host.Kernel.InvokeAsync(() =>
        {
            host.Kernel.Books[market.Handle].TryGetBestAsk(Outcome.Yes, out PriceLevel best);
            return best;
        });

        // Far above the ask, IOC: must fill right away (the sim's book may move a little in 5 ms, not 30 cents).
        Price limit = Price.Min(Price.FromMicros(990_000), ask.Price + Price.FromMicros(300_000));
        await poly.Executor!.PlaceAsync(new OrderRequest("it-1", market.Handle, market.MarketId, Outcome.Yes, OrderSide.Buy, limit, Quantity.Parse("5"), TimeInForce.ImmediateOrCancel), CancellationToken.None);

        // A resting bid far below the market, then cancelled.
        await poly.Executor.PlaceAsync(new OrderRequest("it-2", market.Handle, market.MarketId, Outcome.Yes, OrderSide.Buy, Price.Parse("0.01"), Quantity.Parse("5"), TimeInForce.GoodTillCancelled), CancellationToken.None);
        Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(executions.StatusesOf("it-2").Contains(OrderStatus.Acked)), TimeSpan.FromSeconds(5)));
        await poly.Executor.CancelAsync("it-2", CancellationToken.None);

        Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(executions.StatusesOf("it-1").Contains(OrderStatus.Filled) && executions.StatusesOf("it-2").Contains(OrderStatus.Cancelled)), TimeSpan.FromSeconds(5)));
        Fill[] fills = executions.FillsOf("it-1");
        Assert.Equal(Quantity.Parse("5"), fills.Aggregate(Quantity.Zero, (q, f) => q + f.Quantity));
        Assert.All(fills, f =>
        {
            Assert.True(f.Price <= limit);
            Assert.True(f.Fee > Money.Zero, "a Polymarket-style taker pays a fee");
            Assert.False(f.IsMaker);
            Assert.Equal(market.Handle, f.Market);
        });
        Assert.Empty(executions.FillsOf("it-2"));
        Assert.False(executions.CalledOffKernelThread);
        Assert.True(host.Kernel.Venues[poly.Index].Fills >= 1);
    }

    private static Task<string[]> TopOfBooks(EngineHost host) => host.Kernel.InvokeAsync(() =>
        Enumerable.Range(0, host.Kernel.Books.Count).Select(i =>
        {
            MarketBook b = host.Kernel.Books[new MarketHandle(i)];
            b.TryGetBestBid(Outcome.Yes, out PriceLevel bid);
            b.TryGetBestAsk(Outcome.Yes, out PriceLevel ask);
            return $"{b.VenueName}/{b.MarketId} {bid} {ask}";
        }).ToArray());

    private sealed class ExecutionRecorder(EngineKernel kernel) : IKernelListener
    {
        private readonly object _gate = new();
        private readonly List<OrderUpdate> _updates = new();
        private readonly List<Fill> _fills = new();

        public bool CalledOffKernelThread { get; private set; }

        public OrderStatus[] StatusesOf(string id)
        {
            lock (_gate)
            {
                return _updates.Where(u => u.ClientOrderId == id).Select(u => u.Status).ToArray();
            }
        }

        public Fill[] FillsOf(string id)
        {
            lock (_gate)
            {
                return _fills.Where(f => f.ClientOrderId == id).ToArray();
            }
        }

        public void OnBookUpdated(MarketBook book)
        {
        }

        public void OnOrderUpdate(int venueIndex, OrderUpdate update)
        {
            CalledOffKernelThread |= !kernel.IsKernelThread;
            lock (_gate)
            {
                _updates.Add(update);
            }
        }

        public void OnFill(int venueIndex, Fill fill)
        {
            CalledOffKernelThread |= !kernel.IsKernelThread;
            lock (_gate)
            {
                _fills.Add(fill);
            }
        }

        public void OnTimer(long nowTimestamp)
        {
        }
    }
}
