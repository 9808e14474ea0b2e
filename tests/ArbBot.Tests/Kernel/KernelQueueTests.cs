using ArbBot.Abstractions.Markets;
using ArbBot.Engine.Kernel;

namespace ArbBot.Tests.Kernel;

public sealed class KernelQueueTests
{
    [Fact]
    public void Items_come_out_in_the_order_they_went_in_across_many_laps_of_the_ring()
    {
        var queue = new KernelQueue(5); // rounded up to 8
        Assert.Equal(8, queue.Capacity);
        int written = 0, read = 0;
        for (int lap = 0; lap < 1_000; lap++)
        {
            int burst = 1 + (lap % 8);
            for (int i = 0; i < burst; i++)
            {
                Assert.True(queue.TryWrite(Invalidation(written++)));
            }

            Assert.Equal(burst, queue.Count);
            while (queue.TryRead(out KernelEvent item))
            {
                Assert.Equal(read++, item.Market.Value);
            }
        }

        Assert.Equal(written, read);
        Assert.False(queue.HasItem);
    }

    [Fact]
    public void A_full_ring_refuses_the_write_and_takes_it_once_the_reader_made_room()
    {
        var queue = new KernelQueue(4);
        for (int i = 0; i < 4; i++)
        {
            Assert.True(queue.TryWrite(Invalidation(i)));
        }

        Assert.False(queue.TryWrite(Invalidation(99)));
        Assert.True(queue.TryRead(out KernelEvent first));
        Assert.Equal(0, first.Market.Value);
        Assert.True(queue.TryWrite(Invalidation(4)));
        var rest = new List<int>();
        while (queue.TryRead(out KernelEvent item))
        {
            rest.Add(item.Market.Value);
        }

        Assert.Equal([1, 2, 3, 4], rest);
    }

    [Fact]
    public async Task Many_writers_lose_nothing_and_each_writers_items_keep_their_order()
    {
        const int writers = 4, each = 200_000;
        var queue = new KernelQueue(1024);
        var next = new int[writers];
        Task[] posting = Enumerable.Range(0, writers).Select(w => Task.Run(() =>
        {
            for (int i = 0; i < each; i++)
            {
                var item = KernelEvent.ForInvalidation(w, new MarketHandle(i), "test");
                while (!queue.TryWrite(item))
                {
                    Thread.SpinWait(20);
                }
            }
        })).ToArray();

        int total = 0;
        var reading = Task.Run(() =>
        {
            while (total < writers * each)
            {
                if (queue.TryRead(out KernelEvent item))
                {
                    Assert.Equal(next[item.VenueIndex]++, item.Market.Value); // in order per writer
                    total++;
                }
            }
        });
        await Task.WhenAll(posting).WaitAsync(TimeSpan.FromMinutes(2));
        await reading.WaitAsync(TimeSpan.FromMinutes(2));
        Assert.All(next, n => Assert.Equal(each, n));
        Assert.False(queue.TryRead(out _));
    }

    private static KernelEvent Invalidation(int n) => KernelEvent.ForInvalidation(0, new MarketHandle(n), "test");
}
