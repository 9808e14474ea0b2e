using System.Globalization;
using ArbBot.Abstractions.Events;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Engine.Books;
using ArbBot.Engine.Kernel;
using Microsoft.Extensions.Logging.Abstractions;
using static ArbBot.Tests.Books.BookBuilder;

namespace ArbBot.Tests.Kernel;

public sealed class EngineKernelTests
{
    [Fact]
    public async Task A_venue_reported_fee_model_replaces_the_configured_one_for_its_own_markets_only()
    {
        var books = new BookStore();
        MarketHandle mine = books.Register(0, "a", "M1", BookStyle.BidsOnly);
        MarketHandle other = books.Register(1, "b", "M2", BookStyle.BidsOnly);
        await using var kernel = new EngineKernel(books, 64, TimeSpan.FromSeconds(10), NullLogger.Instance);
        var sinkA = new VenueEventSink(kernel, kernel.AddVenue("a"));
        kernel.AddVenue("b");
        kernel.Start();
        var series = new ArbBot.Abstractions.Fees.KalshiFeeModel(Abstractions.FixedPoint.Price.Parse("0.5"), makerFees: false);

        ((Abstractions.Events.IVenueEventSink)sinkA).OnMarketFees(mine, series);
        sinkA.OnMarketFees(other, series); // not this venue's market: ignored
        Assert.Same(series, await kernel.InvokeAsync(() => books[mine].Fees));
        Assert.Same(ArbBot.Abstractions.Fees.NoFees.Instance, await kernel.InvokeAsync(() => books[other].Fees));
    }

    [Fact]
    public async Task Events_from_many_threads_are_applied_in_order_on_one_thread()
    {
        var books = new BookStore();
        MarketHandle[] handles = Enumerable.Range(0, 4).Select(i => books.Register(0, "v", $"M{i}", BookStyle.TwoSided)).ToArray();
        await using var kernel = new EngineKernel(books, 64, TimeSpan.FromSeconds(10), NullLogger.Instance);
        int venue = kernel.AddVenue("v");
        var listener = new RecordingListener(kernel);
        kernel.AddListener(listener);
        kernel.Start();
        var sink = new VenueEventSink(kernel, venue);

        // Hold the kernel until the producers have filled the queue, so back-pressure surely happens.
        using var gate = new ManualResetEventSlim(false);
        kernel.Post(KernelEvent.ForCommand(() => gate.Wait(TimeSpan.FromSeconds(60)))); // released as soon as a producer has waited
        _ = Task.Run(async () =>
        {
            while (kernel.BackPressureWaits == 0)
            {
                await Task.Delay(1);
            }

            gate.Set();
        });

        // Four producers, one market each, 2,000 sets each, through a 64-slot queue.
        Task[] producers = handles.Select(h => Task.Run(() =>
        {
            sink.OnBookSnapshot(TwoSided(h, [], [], [], []));
            for (int i = 1; i <= 2_000; i++)
            {
                sink.OnBookDelta(Set(h, Outcome.Yes, BookSide.Bid, "0.50", i.ToString(CultureInfo.InvariantCulture)));
            }
        })).ToArray();
        await Task.WhenAll(producers);

        Quantity[] finals = await kernel.InvokeAsync(() => handles.Select(h => books[h].GetLevel(Outcome.Yes, BookSide.Bid, 0).Quantity).ToArray());
        Assert.All(finals, q => Assert.Equal(Quantity.Parse("2000"), q));
        Assert.Equal(8_000, kernel.Venues[venue].Deltas);
        Assert.Equal(8_004, listener.BookUpdates);
        Assert.False(listener.CalledOffKernelThread);
        Assert.True(kernel.BackPressureWaits > 0, "producers facing a full 64-slot queue must have waited");
        Assert.True(gate.IsSet, "the kernel was released by back-pressure, not by the timeout");
    }

    [Fact]
    public async Task Books_take_the_time_their_message_was_received_not_the_time_the_kernel_got_to_it()
    {
        var books = new BookStore();
        MarketHandle h = books.Register(0, "p", "M", BookStyle.TwoSided);
        await using var kernel = new EngineKernel(books, 1024, TimeSpan.FromSeconds(10), NullLogger.Instance);
        int venue = kernel.AddVenue("p");
        kernel.Start();
        var sink = new VenueEventSink(kernel, venue);
        long received = System.Diagnostics.Stopwatch.GetTimestamp() - System.Diagnostics.Stopwatch.Frequency; // sat a second in a queue
        sink.OnBookSnapshot(new BookSnapshot(h, 0, 0, received, [], [], [], []));
        Assert.Equal(received, await kernel.InvokeAsync(() => books[h].LastUpdateTimestamp));

        // A message received on another connection a moment earlier but queued after: time does not go back.
        sink.OnBookDelta(new BookDelta(h, Outcome.Yes, BookSide.Bid, Price.Parse("0.40"), Quantity.Parse("1"), DeltaKind.Set, 0, 0, received - 1000));
        Assert.Equal(received, await kernel.InvokeAsync(() => books[h].LastUpdateTimestamp));
        sink.OnBookDelta(new BookDelta(h, Outcome.Yes, BookSide.Bid, Price.Parse("0.41"), Quantity.Parse("1"), DeltaKind.Set, 0, 0, received + 5000));
        Assert.Equal(received + 5000, await kernel.InvokeAsync(() => books[h].LastUpdateTimestamp));

        // Without a receipt stamp, the kernel's own time.
        long before = System.Diagnostics.Stopwatch.GetTimestamp();
        sink.OnBookDelta(new BookDelta(h, Outcome.Yes, BookSide.Bid, Price.Parse("0.42"), Quantity.Parse("1"), DeltaKind.Set, 0, 0, 0));
        Assert.InRange(await kernel.InvokeAsync(() => books[h].LastUpdateTimestamp), before, System.Diagnostics.Stopwatch.GetTimestamp());
    }

    [Fact]
    public async Task Strategies_see_a_multi_level_message_only_once_it_is_fully_applied()
    {
        var books = new BookStore();
        MarketHandle h = books.Register(0, "p", "M", BookStyle.TwoSided);
        await using var kernel = new EngineKernel(books, 1024, TimeSpan.FromSeconds(10), NullLogger.Instance);
        int venue = kernel.AddVenue("p");
        var listener = new RecordingListener(kernel);
        kernel.AddListener(listener);
        kernel.Start();
        var sink = new VenueEventSink(kernel, venue);
        sink.OnBookSnapshot(TwoSided(h, Levels(("0.40", "1")), Levels(("0.60", "1")), [], []));
        sink.OnBookDelta(Set(h, Outcome.Yes, BookSide.Bid, "0.41", "5", last: false));
        sink.OnBookDelta(Set(h, Outcome.Yes, BookSide.Ask, "0.59", "5", last: false));
        sink.OnBookDelta(Set(h, Outcome.Yes, BookSide.Bid, "0.40", "0", last: true));

        int updates = await kernel.InvokeAsync(() => listener.BookUpdates);
        Assert.Equal(2, updates); // the snapshot, then the whole three-level message once
    }

    [Fact]
    public async Task A_listener_that_ignores_book_updates_is_left_out_of_them_but_gets_everything_else()
    {
        var books = new BookStore();
        MarketHandle h = books.Register(0, "p", "M", BookStyle.TwoSided);
        await using var kernel = new EngineKernel(books, 1024, TimeSpan.FromMilliseconds(20), NullLogger.Instance);
        int venue = kernel.AddVenue("p");
        var booksOnly = new RecordingListener(kernel);
        var timersOnly = new RecordingListener(kernel, wantsBooks: false);
        kernel.AddListener(booksOnly);
        kernel.AddListener(timersOnly);
        kernel.Start();
        var sink = new VenueEventSink(kernel, venue);
        sink.OnBookSnapshot(TwoSided(h, Levels(("0.40", "1")), Levels(("0.60", "1")), [], []));
        sink.OnBookDelta(Set(h, Outcome.Yes, BookSide.Bid, "0.41", "5"));
        while (Volatile.Read(ref timersOnly.Timers) == 0)
        {
            await Task.Delay(10);
        }

        (int wanted, int ignored) = await kernel.InvokeAsync(() => (booksOnly.BookUpdates, timersOnly.BookUpdates));
        Assert.Equal(2, wanted);
        Assert.Equal(0, ignored);
    }

    [Fact]
    public async Task A_kernel_that_fell_asleep_on_an_empty_queue_wakes_for_every_next_post()
    {
        // Posts that come just as the kernel goes to sleep are the race a lost wake-up would hide in:
        // two posters, each waiting for its own event to be handled (with a deadline) before pausing and posting again.
        await using var kernel = new EngineKernel(new BookStore(), 1024, TimeSpan.FromSeconds(10), NullLogger.Instance);
        kernel.Start();
        Task[] posters = Enumerable.Range(0, 2).Select(p => Task.Run(async () =>
        {
            var random = new Random(p);
            for (int i = 0; i < 300; i++)
            {
                using var handled = new ManualResetEventSlim(false);
                Assert.True(kernel.Post(KernelEvent.ForCommand(handled.Set)));
                Assert.True(handled.Wait(TimeSpan.FromSeconds(5)), $"poster {p}: event {i} was not handled: the kernel missed its wake-up");
                if (random.Next(3) == 0)
                {
                    await Task.Delay(random.Next(0, 3));
                }
                else
                {
                    Thread.SpinWait(random.Next(0, 5_000));
                }
            }
        })).ToArray();
        await Task.WhenAll(posters).WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(600, kernel.EventsProcessed);
    }

    [Fact]
    public async Task A_gap_found_by_the_store_asks_the_venue_for_a_snapshot()
    {
        var books = new BookStore();
        MarketHandle h = books.Register(0, "k", "M", BookStyle.BidsOnly);
        await using var kernel = new EngineKernel(books, 1024, TimeSpan.FromSeconds(10), NullLogger.Instance);
        int venue = kernel.AddVenue("k");
        var resyncs = new List<(int, MarketHandle, string)>();
        kernel.RequestResync = (v, m, reason) => resyncs.Add((v, m, reason));
        kernel.Start();
        var sink = new VenueEventSink(kernel, venue);
        sink.OnBookSnapshot(BidsOnly(h, 1, Levels(("0.40", "1")), []));
        sink.OnBookDelta(Add(h, Outcome.Yes, "0.40", "1", 2));
        sink.OnBookDelta(Add(h, Outcome.Yes, "0.40", "1", 4));
        sink.OnBookDelta(Add(h, Outcome.Yes, "0.40", "1", 5));

        (bool stale, int epoch) = await kernel.InvokeAsync(() => (books[h].IsStale, books[h].Epoch));
        Assert.True(stale);
        Assert.Equal(1, epoch);
        Assert.Equal([(venue, h, "sequence gap")], resyncs);
        Assert.Equal(1, kernel.Venues[venue].Gaps);
        Assert.Equal(1, kernel.Venues[venue].StaleDrops);
    }

    [Fact]
    public async Task A_listener_that_throws_does_not_stop_the_others()
    {
        var books = new BookStore();
        MarketHandle h = books.Register(0, "p", "M", BookStyle.TwoSided);
        await using var kernel = new EngineKernel(books, 1024, TimeSpan.FromSeconds(10), NullLogger.Instance);
        int venue = kernel.AddVenue("p");
        kernel.AddListener(new ThrowingListener());
        var listener = new RecordingListener(kernel);
        kernel.AddListener(listener);
        kernel.Start();
        var sink = new VenueEventSink(kernel, venue);
        sink.OnBookSnapshot(TwoSided(h, [], [], [], []));
        sink.OnBookDelta(Set(h, Outcome.Yes, BookSide.Bid, "0.40", "1"));

        int updates = await kernel.InvokeAsync(() => listener.BookUpdates);
        Assert.Equal(2, updates);
        Assert.Equal(2, kernel.ListenerErrors);
    }

    [Fact]
    public async Task Timer_ticks_arrive_as_kernel_events()
    {
        await using var kernel = new EngineKernel(new BookStore(), 1024, TimeSpan.FromMilliseconds(20), NullLogger.Instance);
        var listener = new RecordingListener(kernel);
        kernel.AddListener(listener);
        kernel.Start();
        DateTime until = DateTime.UtcNow.AddSeconds(30); // three 20 ms ticks; generous for a busy machine, met early otherwise
        while (Volatile.Read(ref listener.Timers) < 3 && DateTime.UtcNow < until)
        {
            await Task.Delay(10);
        }

        Assert.True(Volatile.Read(ref listener.Timers) >= 3);
    }

    private sealed class RecordingListener(EngineKernel kernel, bool wantsBooks = true) : IKernelListener
    {
        public int BookUpdates;
        public int Timers;
        public bool CalledOffKernelThread;

        public void OnBookUpdated(MarketBook book)
        {
            BookUpdates++;
            CalledOffKernelThread |= !kernel.IsKernelThread;
        }

        public void OnOrderUpdate(int venueIndex, OrderUpdate update)
        {
        }

        public void OnFill(int venueIndex, Fill fill)
        {
        }

        public void OnTimer(long nowTimestamp) => Interlocked.Increment(ref Timers);

        public bool WantsBookUpdates => wantsBooks;
    }

    private sealed class ThrowingListener : IKernelListener
    {
        public void OnBookUpdated(MarketBook book) => throw new InvalidOperationException("boom");

        public void OnOrderUpdate(int venueIndex, OrderUpdate update)
        {
        }

        public void OnFill(int venueIndex, Fill fill)
        {
        }

        public void OnTimer(long nowTimestamp)
        {
        }
    }
}
