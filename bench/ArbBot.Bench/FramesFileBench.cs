using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ArbBot.Abstractions.Markets;
using ArbBot.Engine.Books;
using ArbBot.Venues.Kalshi.Parsing;
using ArbBot.Venues.Polymarket.Parsing;

namespace ArbBot.Bench;

/// <summary>
/// <c>arbbot bench --frames FILE --venue kalshi|polymarket</c>: anyone's recorded venue messages
/// (one per line, as the venue sends them; a snapshot of each market before its changes) through
/// the plugin's own decoder and the engine's book store. Times decode + apply per frame (after one
/// untimed pass to warm the code up), and prints median, p99, frames/s, bytes per frame and the
/// final best bid and ask of every book, so another implementation can be checked on the same file.
/// </summary>
internal static class FramesFileBench
{
    public static int Run(string file, string venue, string outputDirectory, bool json, QuickReport? report = null)
    {
        if (!File.Exists(file))
        {
            Console.Error.WriteLine($"{file}: no such file");
            return 2;
        }

        if (venue is not ("kalshi" or "polymarket"))
        {
            Console.Error.WriteLine($"--venue must be kalshi or polymarket, was \"{venue}\"");
            return 2;
        }

        byte[][] frames = File.ReadLines(file).Where(l => l.Trim().Length > 0).Select(Encoding.UTF8.GetBytes).ToArray();
        if (frames.Length == 0)
        {
            Console.Error.WriteLine($"{file}: no frames (one venue message per line)");
            return 2;
        }

        List<(string Market, string? Yes, string? No)> markets;
        try
        {
            markets = venue == "kalshi" ? KalshiMarkets(frames) : PolymarketMarkets(frames);
        }
        catch (FormatException ex)
        {
            Console.Error.WriteLine($"{file}: {ex.Message}");
            return 2;
        }

        Run(frames, venue, markets, out _, out _); // untimed: the code is compiled and optimised before the measured pass
        Thread.Sleep(500);
        (long[] samples, long wallTicks, long allocated, BookStore store, long rejected, long problems) = Measure(frames, venue, markets);
        double nsPerTick = 1e9 / Stopwatch.Frequency;
        long clockRead = TimestampCost.MedianTicks();
        TimestampCost.Subtract(samples, clockRead); // decode + apply alone, as another implementation's figures should be
        // Price changes by how many levels they change: each count has its own target.
        var byChanges = new SortedDictionary<int, List<long>>();
        for (int i = 0; i < frames.Length; i++)
        {
            if (venue == "polymarket" && IsChange(frames[i]))
            {
                int changes = System.Text.RegularExpressions.Regex.Count(Encoding.UTF8.GetString(frames[i]), "\"asset_id\"");
                (byChanges.TryGetValue(changes, out List<long>? list) ? list : byChanges[changes] = []).Add(samples[i]);
            }
        }

        Array.Sort(samples);
        double median = Math.Round(samples[samples.Length / 2] * nsPerTick, 1);
        double medianWithClockRead = Math.Round((samples[samples.Length / 2] + clockRead) * nsPerTick, 1);
        double p99 = Math.Round(samples[samples.Length * 99 / 100] * nsPerTick, 1);
        double rate = Math.Round(frames.Length / (wallTicks / (double)Stopwatch.Frequency));
        double bytesPerFrame = Math.Round(frames.Average(f => f.Length), 1);
        double allocatedPerFrame = (double)allocated / frames.Length;
        (List<string> lines, List<object> books) = FinalBooks(store);
        SteadyAllocation steady = MeasureSteadyAllocation(frames, venue, markets, store);
        bool sameBooks = FinalBooks(store).Lines.SequenceEqual(lines);
        Console.WriteLine($"{venue} frames from {file}: {frames.Length:N0} frames, {store.Count} markets, {bytesPerFrame:0.#} bytes per frame");
        Console.WriteLine($"  decode + apply median {median,10:0.0} ns ({medianWithClockRead:0.0} with the clock read, {clockRead * nsPerTick:0.0} ns, taken off each sample)");
        Console.WriteLine($"  decode + apply p99    {p99,10:0.0} ns");
        var medianByChanges = new Dictionary<string, double>();
        foreach ((int changes, List<long> list) in byChanges)
        {
            list.Sort();
            double m = Math.Round(list[list.Count / 2] * nsPerTick, 1);
            medianByChanges[changes.ToString(CultureInfo.InvariantCulture)] = m;
            Console.WriteLine($"    price_change with {changes} change{(changes == 1 ? "" : "s")}: median {m,10:0.0} ns ({list.Count:N0} frames)");
        }

        Console.WriteLine($"  rate                  {rate,10:N0} frames/s (timestamping included)");
        Console.WriteLine($"  allocated             {allocatedPerFrame,10:0.###} bytes per frame (a fresh store: its books' ladders grow as they first deepen)");
        Console.WriteLine($"  allocated, steady     {steady.PerChange,10:0.###} bytes per change frame ({steady.ChangeFrames:N0}), {steady.PerOther:0.###} per other frame ({steady.OtherFrames:N0}):");
        Console.WriteLine("                        the file again on the same store, every book broken first (levels cleared, room kept, as after a reconnect)");
        if (!sameBooks)
        {
            Console.WriteLine("  the second pass ended with different books: the file changes a market before its snapshot");
        }
        Console.WriteLine($"  refused by the store  {rejected,10:N0}; frames the decoder rejected {problems:N0}");
        Console.WriteLine("final best bid / ask of every book (price:size):");
        foreach (string line in lines)
        {
            Console.WriteLine("  " + line);
        }

        if (json)
        {
            Directory.CreateDirectory(outputDirectory);
            string path = Path.Combine(outputDirectory, "frames.json");
            File.WriteAllText(path, JsonSerializer.Serialize(new
            {
                benchmark = "frames_file",
                venue,
                file = Path.GetFullPath(file),
                frames = frames.Length,
                markets = store.Count,
                bytes_per_frame = bytesPerFrame,
                median_ns = median,
                median_ns_with_clock_read = medianWithClockRead,
                clock_read_ns = Math.Round(clockRead * nsPerTick, 1),
                median_ns_by_changes = medianByChanges,
                p99_ns = p99,
                frames_per_second = rate,
                allocated_bytes_per_frame = allocatedPerFrame,
                steady_allocated_bytes_per_change_frame = steady.PerChange,
                steady_allocated_bytes_per_other_frame = steady.PerOther,
                refused_by_store = rejected,
                rejected_frames = problems,
                books,
            }, BenchJson.Indented));
            Console.WriteLine($"  written  {path}");
        }

        if (report is not null)
        {
            foreach ((string changes, double target) in new[] { ("1", 250.0), ("2", 400.0) })
            {
                if (medianByChanges.TryGetValue(changes, out double m))
                {
                    report.Add($"--frames file, price_change with {changes} change{(changes == "1" ? "" : "s")}, median", m, "ns", $"<= {target:0} ns", m <= target);
                }
            }

            report.Add("--frames file, bytes allocated per change frame, books at depth", steady.PerChange, "B", "0", steady.ChangeBytes == 0 && sameBooks);
            report.Add("--frames file, bytes allocated per frame, fresh store (ladders growing, snapshots)", allocatedPerFrame, "B", "(reported)", null);
        }

        return 0;
    }

    private static (long[] Samples, long WallTicks, long Allocated, BookStore Store, long Rejected, long Problems) Measure(byte[][] frames, string venue, List<(string Market, string? Yes, string? No)> markets)
    {
        (BookStore store, BookStoreSink applier, Func<byte[], int, long, bool> handle) = Build(venue, markets);
        var samples = new long[frames.Length];
        byte[] receive = ArrayPool<byte>.Shared.Rent(frames.Max(f => f.Length)); // frames arrive in a receive buffer
        long problems = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        long wall = Stopwatch.GetTimestamp();
        for (int i = 0; i < frames.Length; i++)
        {
            frames[i].CopyTo(receive, 0);
            long t0 = Stopwatch.GetTimestamp();
            bool ok = handle(receive, frames[i].Length, t0);
            samples[i] = Stopwatch.GetTimestamp() - t0;
            problems += ok ? 0 : 1;
        }

        long wallTicks = Stopwatch.GetTimestamp() - wall;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        ArrayPool<byte>.Shared.Return(receive);
        return (samples, wallTicks, allocated, store, applier.Rejected, problems);
    }

    private static void Run(byte[][] frames, string venue, List<(string Market, string? Yes, string? No)> markets, out long rejected, out long problems)
    {
        (_, BookStoreSink applier, Func<byte[], int, long, bool> handle) = Build(venue, markets);
        problems = 0;
        foreach (byte[] frame in frames)
        {
            problems += handle(frame, frame.Length, 0) ? 0 : 1;
        }

        rejected = applier.Rejected;
    }

    /// <summary>The store with every market registered (market i has handle i), and the plugin's decoder feeding it.</summary>
    private static (BookStore Store, BookStoreSink Applier, Func<byte[], int, long, bool> Handle) Build(string venue, List<(string Market, string? Yes, string? No)> markets)
    {
        var store = new BookStore();
        foreach ((string market, _, _) in markets)
        {
            store.Register(0, venue, market, venue == "kalshi" ? BookStyle.BidsOnly : BookStyle.TwoSided);
        }

        var applier = new BookStoreSink(store);
        return (store, applier, Decoder(venue, markets, applier));
    }

    /// <summary>A new decoder of the plugin's (its own subscription state, Kalshi's sequence numbers) over markets 0..n-1 of a store.</summary>
    private static Func<byte[], int, long, bool> Decoder(string venue, List<(string Market, string? Yes, string? No)> markets, BookStoreSink applier)
    {
        if (venue == "kalshi")
        {
            var kalshi = new KalshiFeed(applier);
            for (int m = 0; m < markets.Count; m++)
            {
                kalshi.AddMarket(markets[m].Market, new MarketHandle(m));
            }

            return (buffer, length, at) => kalshi.Handle(buffer.AsSpan(0, length), at, out _) is not (Venues.Kalshi.Parsing.FrameKind.Malformed or Venues.Kalshi.Parsing.FrameKind.Error);
        }

        var poly = new PolymarketFeed(applier);
        for (int m = 0; m < markets.Count; m++)
        {
            poly.AddMarket(new MarketHandle(m), markets[m].Yes!, markets[m].No!);
        }

        return (buffer, length, at) => poly.Handle(buffer.AsSpan(0, length), at, out _) != Venues.Polymarket.Parsing.FrameKind.Malformed;
    }

    /// <summary>
    /// Allocation once the books have their depth, as in an engine that has run a while: every book of the measured store
    /// is broken (levels cleared, their arrays kept, as a venue's reconnect does) and the whole file goes through a new
    /// decoder again, each frame's allocation read apart. Change frames (<c>price_change</c>, <c>orderbook_delta</c>)
    /// should allocate nothing; snapshots make the arrays they hand over.
    /// </summary>
    private static SteadyAllocation MeasureSteadyAllocation(byte[][] frames, string venue, List<(string Market, string? Yes, string? No)> markets, BookStore store)
    {
        for (int m = 0; m < store.Count; m++)
        {
            store.Invalidate(new MarketHandle(m), "the steady-state pass starts");
        }

        Func<byte[], int, long, bool> handle = Decoder(venue, markets, new BookStoreSink(store));
        byte[] receive = ArrayPool<byte>.Shared.Rent(frames.Max(f => f.Length));
        long changeBytes = 0, otherBytes = 0;
        int changeFrames = 0, otherFrames = 0;
        foreach (byte[] frame in frames)
        {
            frame.CopyTo(receive, 0);
            bool change = IsChange(frame);
            long before = GC.GetAllocatedBytesForCurrentThread();
            handle(receive, frame.Length, Stopwatch.GetTimestamp());
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (change)
            {
                changeBytes += allocated;
                changeFrames++;
            }
            else
            {
                otherBytes += allocated;
                otherFrames++;
            }
        }

        ArrayPool<byte>.Shared.Return(receive);
        return new SteadyAllocation(changeBytes, changeFrames, otherBytes, otherFrames);
    }

    /// <summary>A frame that changes levels (<c>price_change</c>, <c>orderbook_delta</c>), not a snapshot or anything else.</summary>
    private static bool IsChange(byte[] frame) => frame.AsSpan().IndexOf("\"price_change\""u8) >= 0 || frame.AsSpan().IndexOf("\"orderbook_delta\""u8) >= 0;

    /// <summary>The best bid and ask of every book, as lines and as JSON objects.</summary>
    private static (List<string> Lines, List<object> Books) FinalBooks(BookStore store)
    {
        var lines = new List<string>();
        var books = new List<object>();
        for (int m = 0; m < store.Count; m++)
        {
            MarketBook book = store[new MarketHandle(m)];
            foreach (Outcome outcome in new[] { Outcome.Yes, Outcome.No })
            {
                string bid = book.TryGetBestBid(outcome, out PriceLevel b) ? $"{b.Price}:{b.Quantity}" : "-";
                string ask = book.TryGetBestAsk(outcome, out PriceLevel a) ? $"{a.Price}:{a.Quantity}" : "-";
                lines.Add($"{book.MarketId} {outcome.ToWireName()} bid {bid} ask {ask}");
                books.Add(new { market = book.MarketId, outcome = outcome.ToWireName(), bid, ask });
            }
        }

        return (lines, books);
    }

    private readonly record struct SteadyAllocation(long ChangeBytes, int ChangeFrames, long OtherBytes, int OtherFrames)
    {
        public double PerChange => ChangeFrames == 0 ? 0 : (double)ChangeBytes / ChangeFrames;

        public double PerOther => OtherFrames == 0 ? 0 : (double)OtherBytes / OtherFrames;
    }

    /// <summary>Kalshi tickers, from the snapshots in the file.</summary>
    private static List<(string, string?, string?)> KalshiMarkets(byte[][] frames)
    {
        var tickers = new List<(string, string?, string?)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (byte[] frame in frames)
        {
            using JsonDocument doc = Parse(frame);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("type", out JsonElement type) && type.GetString() == "orderbook_snapshot"
                && doc.RootElement.TryGetProperty("msg", out JsonElement msg) && msg.TryGetProperty("market_ticker", out JsonElement ticker) && ticker.GetString() is { } t && seen.Add(t))
            {
                tickers.Add((t, null, null));
            }
        }

        return tickers.Count > 0 ? tickers : throw new FormatException("no orderbook_snapshot: a Kalshi file needs a snapshot of each market before its deltas");
    }

    /// <summary>Polymarket markets and their two tokens (the first token booked is YES), from the book messages in the file.</summary>
    private static List<(string, string?, string?)> PolymarketMarkets(byte[][] frames)
    {
        var tokens = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (byte[] frame in frames)
        {
            using JsonDocument doc = Parse(frame);
            IEnumerable<JsonElement> messages = doc.RootElement.ValueKind == JsonValueKind.Array ? doc.RootElement.EnumerateArray() : [doc.RootElement];
            foreach (JsonElement message in messages)
            {
                if (message.ValueKind == JsonValueKind.Object && message.TryGetProperty("event_type", out JsonElement kind) && kind.GetString() == "book"
                    && message.TryGetProperty("market", out JsonElement market) && message.TryGetProperty("asset_id", out JsonElement asset)
                    && market.GetString() is { } m && asset.GetString() is { } a)
                {
                    if (!tokens.TryGetValue(m, out List<string>? list))
                    {
                        tokens[m] = list = [];
                        order.Add(m);
                    }

                    if (!list.Contains(a))
                    {
                        list.Add(a);
                    }
                }
            }
        }

        if (order.Count == 0)
        {
            throw new FormatException("no book message: a Polymarket file needs a book of each token before its price changes");
        }

        List<string> incomplete = order.Where(m => tokens[m].Count != 2).ToList();
        if (incomplete.Count > 0)
        {
            throw new FormatException($"market {incomplete[0]} has {tokens[incomplete[0]].Count} token(s) booked: each market needs a book of both its tokens");
        }

        return order.Select(m => (m, (string?)tokens[m][0], (string?)tokens[m][1])).ToList();
    }

    private static JsonDocument Parse(byte[] frame)
    {
        try
        {
            return JsonDocument.Parse(frame);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"a line is not JSON ({ex.Message}): {Encoding.UTF8.GetString(frame.AsSpan(0, Math.Min(frame.Length, 80)))}");
        }
    }
}
