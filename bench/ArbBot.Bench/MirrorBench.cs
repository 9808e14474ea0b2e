using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using ArbBot.Abstractions.Events;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Engine.Books;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Kernel;
using ArbBot.Engine.Mirror;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArbBot.Bench;

/// <summary>
/// The Redis mirror driven at 10k and 100k book changes per second through the real kernel,
/// against a local redis-server of its own: mirror lag (change on the kernel to write
/// acknowledged) p50/p99, Redis commands per second, and what the mirror costs the kernel per
/// update (the capture into its image).
/// </summary>
internal static class MirrorBench
{

    public static int Run(string outputDirectory, int largest = 1_000, int seconds = 8, QuickReport? report = null)
    {
        if (!File.Exists("/usr/bin/redis-server"))
        {
            Console.WriteLine("redis mirror: skipped, no redis-server (apt-get install redis-server)");
            report?.Missing("redis mirror lag p99", "< 5 ms at 10k/s", "skipped: no redis-server");
            report?.Missing("Redis-in-the-loop baseline", ">= 30x our p99", "skipped: no redis-server");
            return 0;
        }

        int port = FreePort();
        using Process server = Process.Start(new ProcessStartInfo("/usr/bin/redis-server", $"--port {port} --bind 127.0.0.1 --save \"\" --appendonly no")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        try
        {
            WaitForRedis(port);
            var results = new List<object>();
            foreach (int markets in largest > 100 ? new[] { 100, largest } : [100])
            {
                Console.WriteLine($"redis mirror ({markets} markets, local redis-server, {seconds} s per rate, 5 depth levels)");
                foreach (int rate in new[] { 10_000, 100_000 })
                {
                    (MirrorStatus status, double commandsPerSecond, double offered) = Drive($"127.0.0.1:{port}", () => TotalCommands(port), rate, markets, seconds, $"bench{markets}-{rate}");
                    report?.Add($"redis mirror lag p50 / p99 at {rate:N0} changes/s", Math.Round(status.LagP99Ms, 2), "ms p99", $"< {(rate == 10_000 ? 5 : 20)} ms (p50 {status.LagP50Ms:0.00} ms)", status.LagP99Ms < (rate == 10_000 ? 5 : 20));
                    report?.Add($"redis commands/s at {rate:N0} changes/s", Math.Round(commandsPerSecond), "/s", "(reported)", null);
                    double target = rate == 10_000 ? 5 : 20;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {rate,7:N0} changes/s offered ({offered:N0} achieved): lag p50 {status.LagP50Ms,6:0.00} ms  p99 {status.LagP99Ms,6:0.00} ms (target < {target} ms)  book writes {status.WritesPerSecond:N0}/s  redis {commandsPerSecond:N0} commands/s"));
                    results.Add(new { benchmark = "redis_mirror", markets, changes_per_second = rate, achieved = Math.Round(offered), lag_p50_ms = Math.Round(status.LagP50Ms, 3), lag_p99_ms = Math.Round(status.LagP99Ms, 3), book_writes_per_second = Math.Round(status.WritesPerSecond), redis_commands_per_second = Math.Round(commandsPerSecond), target_p99_ms = target });
                }
            }

            RedisInTheLoop(port, report);
            (double flagNs, double copyNs, long bytes) = KernelCost();
            Console.WriteLine($"  kernel-side cost: {flagNs:0.0} ns per book update (flag), {copyNs:0.0} ns per book written (copy at flush, 10 levels a side); {bytes} bytes allocated by 1,000,000 updates");
            results.Add(new { benchmark = "redis_mirror_kernel_cost", ns_per_update = Math.Round(flagNs, 1), ns_per_book_copied = Math.Round(copyNs, 1), bytes });

            Directory.CreateDirectory(outputDirectory);
            string file = Path.Combine(outputDirectory, "mirror.json");
            File.WriteAllText(file, JsonSerializer.Serialize(results, BenchJson.Indented));
            Console.WriteLine($"  written  {file}");
            return 0;
        }
        finally
        {
            server.Kill();
        }
    }

    /// <summary>
    /// The design many bots use, measured against the same redis-server: each update writes its
    /// price to Redis and reads the other venue's before deciding (two round trips on the path).
    /// </summary>
    private static void RedisInTheLoop(int port, QuickReport? report)
    {
        using var redis = StackExchange.Redis.ConnectionMultiplexer.Connect($"127.0.0.1:{port}");
        StackExchange.Redis.IDatabase db = redis.GetDatabase();
        const int updates = 20_000;
        var samples = new long[updates];
        var random = new Random(5);
        long decisions = 0;
        for (int i = -2_000; i < updates; i++)
        {
            long start = Stopwatch.GetTimestamp();
            db.StringSet("baseline:kalshi:E1", (450_000 + random.Next(100)).ToString(CultureInfo.InvariantCulture));
            StackExchange.Redis.RedisValue other = db.StringGet("baseline:poly:E1");
            decisions += other.HasValue && (long)other < 500_000 ? 1 : 0; // the decision itself is nothing next to the round trips
            long elapsed = Stopwatch.GetTimestamp() - start;
            if (i >= 0)
            {
                samples[i] = elapsed;
            }

            if (i == -1_000)
            {
                db.StringSet("baseline:poly:E1", "480000");
            }
        }

        Array.Sort(samples);
        double p50 = samples[updates / 2] * 1e9 / Stopwatch.Frequency;
        double p99 = samples[updates * 99 / 100] * 1e9 / Stopwatch.Frequency;
        Console.WriteLine($"redis-in-the-loop baseline (SET own price + GET the other venue's, per update, {updates:N0} updates, {decisions:N0} decisions to trade): p50 {p50 / 1000:0.0} us  p99 {p99 / 1000:0.0} us");
        report?.Add("baseline (Redis SET + GET per update) p50 / p99", Math.Round(p99), "ns p99", $"(reported; p50 {p50:N0} ns)", null);
        if (report?.Kept("wire_p99_ns") is { } ours && report.Kept("wire_p50_ns") is { } ours50)
        {
            report.Add("baseline p99 / our wire-to-decision p99", Math.Round(p99 / ours, 1), "x", $">= 30x (at p50: {p50 / ours50:0}x)", p99 / ours >= 30);
        }
    }

    /// <summary>One engine's kernel and mirror fed <paramref name="changesPerSecond"/> book changes for <paramref name="seconds"/>, writing to <paramref name="connection"/> under <paramref name="prefix"/>.</summary>
    internal static (MirrorStatus Status, double CommandsPerSecond, double Offered) Drive(string connection, Func<long> totalCommands, int changesPerSecond, int markets, int seconds, string prefix)
    {
        var books = new BookStore();
        var handles = new MarketHandle[markets];
        for (int m = 0; m < markets; m++)
        {
            handles[m] = books.Register(0, "bench", $"M{m:0000}", BookStyle.TwoSided);
        }

        var kernel = new EngineKernel(books, 1 << 16, TimeSpan.FromSeconds(1), NullLogger.Instance);
        int venue = kernel.AddVenue("bench");
        var options = new RedisOptions(true, connection, 0, prefix, 60, null, 5);
        var mirror = new RedisMirror(options, "bench", kernel, () => [], NullLogger.Instance);
        kernel.AddListener(mirror);
        kernel.Start();
        var sink = new VenueEventSink(kernel, venue);
        sink.OnVenueStatus(VenueStatus.Connected, "bench");
        foreach (MarketHandle h in handles)
        {
            var level = new PriceLevel(Price.FromMicros(500_000), Quantity.FromContracts(100));
            sink.OnBookSnapshot(new BookSnapshot(h, 0, 0, 0, [level], [new PriceLevel(Price.FromMicros(510_000), Quantity.FromContracts(100))], [level], [new PriceLevel(Price.FromMicros(520_000), Quantity.FromContracts(100))]));
        }

        mirror.Start();
        SpinWait.SpinUntil(() => mirror.Status().State == "connected", TimeSpan.FromSeconds(10));
        Thread.Sleep(1000);
        long commandsBefore = totalCommands();

        // Offer the rate in 1 ms slices; timestamps are taken at posting, so lag includes the kernel queue.
        var random = new Random(3);
        var clock = Stopwatch.StartNew();
        long sent = 0;
        while (clock.ElapsedMilliseconds < seconds * 1_000L)
        {
            long due = clock.ElapsedTicks * changesPerSecond / Stopwatch.Frequency;
            for (; sent < due; sent++)
            {
                MarketHandle h = handles[random.Next(markets)];
                long price = 460_000 + (random.Next(5) * 10_000); // within the mirrored depth: every change is visible
                sink.OnBookDelta(new BookDelta(h, Outcome.Yes, BookSide.Bid, Price.FromMicros(price), Quantity.FromContracts(random.Next(1, 500)), DeltaKind.Set, 0, 0, Stopwatch.GetTimestamp()));
            }

            Thread.Sleep(1);
        }

        double elapsed = clock.Elapsed.TotalSeconds;
        SpinWait.SpinUntil(() => mirror.IsCaughtUp, TimeSpan.FromSeconds(10));
        MirrorStatus status = mirror.Status();
        double commandsPerSecond = (totalCommands() - commandsBefore) / elapsed;
        mirror.Dispose();
        kernel.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return (status, commandsPerSecond, sent / elapsed);
    }

    /// <summary>Kernel-side costs: flagging a book on each update, and copying a flagged book when the writer flushes.</summary>
    private static (double FlagNs, double CopyNs, long Bytes) KernelCost()
    {
        var books = new BookStore();
        MarketHandle[] handles = Enumerable.Range(0, 1000).Select(i => books.Register(0, "bench", $"M{i}", BookStyle.TwoSided)).ToArray();
        PriceLevel[] ladder = Enumerable.Range(0, 10).Select(i => new PriceLevel(Price.FromMicros(400_000 + (i * 10_000)), Quantity.FromContracts(100))).ToArray();
        foreach (MarketHandle h in handles)
        {
            books.ApplySnapshot(new BookSnapshot(h, 0, 0, 0, ladder, ladder, ladder, ladder), 0);
        }

        var kernel = new EngineKernel(books, 16, TimeSpan.FromSeconds(1), NullLogger.Instance);
        var mirror = new RedisMirror(new RedisOptions(true, "127.0.0.1:1", 0, "x", 30, null, 10), "bench", kernel, () => [], NullLogger.Instance);
        const int n = 1_000_000;
        for (int i = 0; i < 100_000; i++)
        {
            mirror.OnBookUpdated(books[handles[i % handles.Length]]);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < n; i++)
        {
            mirror.OnBookUpdated(books[handles[i % handles.Length]]);
        }

        double flag = Stopwatch.GetElapsedTime(start).TotalNanoseconds / n;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var image = new BookImage(10);
        for (int i = 0; i < 100_000; i++)
        {
            image.Capture(books[handles[i % handles.Length]], 1);
        }

        start = Stopwatch.GetTimestamp();
        for (int i = 0; i < n; i++)
        {
            image.Capture(books[handles[i % handles.Length]], 1);
        }

        double copy = Stopwatch.GetElapsedTime(start).TotalNanoseconds / n;
        return (flag, copy, allocated);
    }

    internal static long TotalCommands(int port)
    {
        using var client = new TcpClient();
        client.Connect(IPAddress.Loopback, port);
        using NetworkStream stream = client.GetStream();
        stream.Write("INFO stats\r\n"u8);
        Thread.Sleep(50);
        var buffer = new byte[16384];
        int read = stream.Read(buffer);
        string text = System.Text.Encoding.ASCII.GetString(buffer, 0, read);
        string line = text.Split("\r\n").First(l => l.StartsWith("total_commands_processed:", StringComparison.Ordinal));
        return long.Parse(line.Split(':')[1], CultureInfo.InvariantCulture);
    }

    internal static void WaitForRedis(int port)
    {
        for (int i = 0; i < 200; i++)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        throw new InvalidOperationException("redis-server did not start");
    }

    internal static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
