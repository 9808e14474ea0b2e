using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ArbBot.Abstractions.Markets;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Plugins;
using ArbBot.Engine.Storage.Recording;
using ArbBot.Engine.Replay;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArbBot.Bench;

/// <summary>
/// Replay throughput: a generated native recording (default 10 million events: level changes on
/// 20 pairs across two venues whose prices follow one fair value, the second venue lagging, so
/// edges open now and then), replayed by <see cref="ReplayRunner"/> exactly as <c>arbbot replay</c>
/// does, with the three shipped strategies, risk and the paper executor. Reports events per
/// second, strategy calls, opportunities, bytes allocated per event and GCs.
/// <c>ARBBOT_REPLAY_STRATEGIES</c> (comma-separated .csx names, or "," for none) replays with
/// other strategies, to see what each costs.
/// </summary>
internal static class ReplayBench
{
    private const int Pairs = 20;

    public static int Run(string repoRoot, string outputDirectory, long events = 10_000_000, QuickReport? report = null)
    {
        string work = Path.Combine(Path.GetTempPath(), "arbbot-replay-bench");
        Directory.CreateDirectory(work);
        string recording = Path.Combine(work, $"replay-{events}.arbrec");
        if (!File.Exists(recording))
        {
            var generating = Stopwatch.StartNew();
            Generate(recording, events);
            Console.WriteLine($"generated {events:N0} events ({new FileInfo(recording).Length / 1024.0 / 1024.0:N0} MiB) in {generating.Elapsed.TotalSeconds:N1} s: {recording}");
        }

        string config = WriteConfig(repoRoot, work);
        ArbBotConfig loaded = ConfigLoader.Load(config);
        var loader = new PluginLoader([Path.Combine(repoRoot, "plugins", "ArbBot.Venues.Sim", "bin", "Release", "net10.0")]);
        using ISessionSource source = RecordingFile.Open(recording);
        int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var steady = new SteadyRate();
        ReplayResult result = ReplayRunner.RunAsync(loaded, source, loader, NullLoggerFactory.Instance,
            new ReplayOptions
            {
                StateDatabase = Path.Combine(work, "replay.db"),
                WindDown = TimeSpan.FromSeconds(5),
                StrategyCompiler = cache => BenchCompiler.Create(repoRoot, cache),
                Progress = (fraction, records) => steady.Mark(clock.Elapsed, records),
            }, CancellationToken.None).GetAwaiter().GetResult();
        double seconds = clock.Elapsed.TotalSeconds;
        double bytesPerEvent = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)result.Records;
        double perSecond = result.Records / seconds;
        long calls = result.Strategies.Sum(s => s.Calls);
        Console.WriteLine($"replay: {result.Records:N0} events in {seconds:N1} s = {perSecond:N0} events/s including start-up (compiling the strategies) and wind-down, {steady.PerSecond:N0} events/s in the replay loop (median of 65,536-event windows {steady.MedianWindowPerSecond:N0}; target >= 3,000,000); "
            + $"{calls:N0} strategy calls ({result.Strategies.Count} strategies), {result.Opportunities.Count:N0} opportunities, {result.Fills.Count:N0} fills; "
            + $"{bytesPerEvent:N1} B allocated per event; GCs gen0 {GC.CollectionCount(0) - gen0}, gen1 {GC.CollectionCount(1) - gen1}, gen2 {GC.CollectionCount(2) - gen2}");
        foreach (string warning in result.Warnings.Take(5))
        {
            Console.WriteLine("  warning: " + warning);
        }

        report?.Add($"replay throughput ({result.Records:N0} events, 3 strategies, replay loop)", Math.Round(steady.PerSecond), "events/s", ">= 3,000,000", steady.PerSecond >= 3_000_000);
        report?.Add("replay throughput, median of 65,536-event windows", Math.Round(steady.MedianWindowPerSecond), "events/s", "(reported)", null);
        report?.Add("replay throughput, whole run (engine start-up and wind-down included)", Math.Round(perSecond), "events/s", "(reported)", null);
        Directory.CreateDirectory(outputDirectory);
        File.WriteAllText(Path.Combine(outputDirectory, "replay.json"), JsonSerializer.Serialize(new
        {
            events = result.Records,
            seconds,
            events_per_second = perSecond,
            events_per_second_steady = steady.PerSecond,
            events_per_second_window_median = steady.MedianWindowPerSecond,
            strategy_calls = calls,
            opportunities = result.Opportunities.Count,
            fills = result.Fills.Count,
            bytes_per_event = bytesPerEvent,
        }));
        return 0;
    }

    /// <summary>
    /// Level changes as a venue publishes them, in the compact form the recorder writes: each event
    /// sets or removes one level of one outcome's book within five cents of a fair value that jumps
    /// now and then; the second venue follows 400 ms late. Levels a move leaves on the wrong side of
    /// the fair value are removed (events too), so books stay uncrossed and edges come only with the lag.
    /// </summary>
    private static void Generate(string path, long events)
    {
        var random = new Random(42);
        long start = 1_767_225_600_000L * 1_000_000;
        long stepNs = 10_000; // 100,000 events per recorded second
        using var writer = new NativeRecordingWriter(path);
        writer.Append(RecordKind.Venue, 0, 0, new RecordedVenue(0, "sim-a", "sim", BookStyle.TwoSided, false).ToJson(), start);
        writer.Append(RecordKind.Venue, 1, 0, new RecordedVenue(1, "sim-b", "sim", BookStyle.TwoSided, false).ToJson(), start);
        var fair = new int[2, Pairs]; // YES fair value in cents, per venue
        var levels = new bool[2, Pairs, 2, 2, 101]; // venue, pair, outcome, side (0 bid, 1 ask), cents
        for (int p = 0; p < Pairs; p++)
        {
            fair[0, p] = fair[1, p] = 30 + random.Next(40);
            for (int venue = 0; venue < 2; venue++)
            {
                writer.Append(RecordKind.Event, venue, 0, Book(Market(venue, p), fair[venue, p]), start);
                for (int k = 1; k <= 5; k++)
                {
                    levels[venue, p, 0, 0, fair[venue, p] - k] = levels[venue, p, 0, 1, fair[venue, p] + k] = true;
                    levels[venue, p, 1, 0, 100 - fair[venue, p] - k] = levels[venue, p, 1, 1, 100 - fair[venue, p] + k] = true;
                }
            }
        }

        byte[] record = new byte[MarketDeltaBinary.FixedLength + 16];
        long written = 2 * Pairs;
        long tick = 0;
        void Emit(int venue, int pair, Outcome outcome, BookSide side, int cents, long contracts)
        {
            byte[] market = System.Text.Encoding.UTF8.GetBytes(Market(venue, pair));
            var delta = new Abstractions.Events.BookDelta(default, outcome, side, Abstractions.FixedPoint.Price.FromCents(cents), Abstractions.FixedPoint.Quantity.FromContracts(contracts), Abstractions.Events.DeltaKind.Set, 0, 0, 0);
            int length = MarketDeltaBinary.Write(record, market, delta);
            writer.Append(RecordKind.Delta, venue, 0, record.AsSpan(0, length), start + (++tick * stepNs));
            levels[venue, pair, (int)outcome, side == BookSide.Bid ? 0 : 1, cents] = contracts > 0;
            written++;
        }

        void Clean(int venue, int pair)
        {
            for (int o = 0; o < 2; o++)
            {
                int mid = o == 0 ? fair[venue, pair] : 100 - fair[venue, pair];
                for (int c = 1; c < 100; c++)
                {
                    if (levels[venue, pair, o, 0, c] && c >= mid)
                    {
                        Emit(venue, pair, (Outcome)o, BookSide.Bid, c, 0);
                    }

                    if (levels[venue, pair, o, 1, c] && c <= mid)
                    {
                        Emit(venue, pair, (Outcome)o, BookSide.Ask, c, 0);
                    }
                }
            }
        }

        var pendingCatchUp = new Queue<(long At, int Pair, int Fair)>();
        while (written < events)
        {
            if (random.Next(100_000) == 0) // a pair jumps every 20 s of recorded time on average, so it is lagged 2% of the time
            {
                int p = random.Next(Pairs);
                fair[0, p] = Math.Clamp(fair[0, p] + (random.Next(2) == 0 ? -4 : 4), 10, 90);
                Clean(0, p);
                pendingCatchUp.Enqueue((tick + 40_000, p, fair[0, p])); // venue b follows 400 ms later
            }

            while (pendingCatchUp.TryPeek(out var due) && due.At <= tick)
            {
                pendingCatchUp.Dequeue();
                fair[1, due.Pair] = due.Fair;
                Clean(1, due.Pair);
            }

            int venueIndex = (int)(tick & 1);
            int pair = random.Next(Pairs);
            int outcome = random.Next(2);
            int mid = outcome == 0 ? fair[venueIndex, pair] : 100 - fair[venueIndex, pair];
            bool bid = random.Next(2) == 0;
            int cents = Math.Clamp(bid ? mid - 1 - random.Next(5) : mid + 1 + random.Next(5), 1, 99);
            bool remove = levels[venueIndex, pair, outcome, bid ? 0 : 1, cents] && random.Next(5) == 0;
            Emit(venueIndex, pair, (Outcome)outcome, bid ? BookSide.Bid : BookSide.Ask, cents, remove ? 0 : 10 * (1 + random.Next(30)));
        }
    }

    private static string Market(int venue, int pair) => $"{(venue == 0 ? "A" : "B")}{pair:D2}";

    private static byte[] Book(string market, int yesCents) => MarketEventJson.ToBytes(json =>
    {
        json.WriteStartObject();
        json.WriteStartObject("book");
        json.WriteString("market", market);
        foreach ((string name, int mid) in new[] { ("yes", yesCents), ("no", 100 - yesCents) })
        {
            json.WriteStartObject(name);
            json.WriteStartArray("bids");
            for (int k = 1; k <= 5; k++)
            {
                json.WriteStartArray();
                json.WriteStringValue(((mid - k) / 100m).ToString("0.00", CultureInfo.InvariantCulture));
                json.WriteStringValue("100");
                json.WriteEndArray();
            }

            json.WriteEndArray();
            json.WriteStartArray("asks");
            for (int k = 1; k <= 5; k++)
            {
                json.WriteStartArray();
                json.WriteStringValue(((mid + k) / 100m).ToString("0.00", CultureInfo.InvariantCulture));
                json.WriteStringValue("100");
                json.WriteEndArray();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
    });

    private static string WriteConfig(string repoRoot, string work)
    {
        string sim = Path.Combine(repoRoot, "plugins", "ArbBot.Venues.Sim", "bin", "Release", "net10.0", "ArbBot.Venues.Sim.dll");
        string strategies = Path.Combine(repoRoot, "strategies");
        var yaml = new System.Text.StringBuilder();
        yaml.AppendLine("engine: { id: replay-bench, cache_dir: cache }");
        yaml.AppendLine("venues:");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"  - {{ name: sim-a, plugin: {sim}, settings: {{ style: polymarket, market_prefix: A }}, fees: {{ model: kalshi, multiplier: \"1\", maker_fees: false }} }}");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"  - {{ name: sim-b, plugin: {sim}, settings: {{ style: polymarket, market_prefix: B }}, fees: {{ model: polymarket, rate: \"0.02\" }} }}");
        yaml.AppendLine("pairs:");
        for (int p = 0; p < Pairs; p++)
        {
            yaml.AppendLine(CultureInfo.InvariantCulture, $"  - {{ event: E{p:D2}, legs: {{ sim-a: {Market(0, p)}, sim-b: {Market(1, p)} }} }}");
        }

        yaml.AppendLine("strategies:");
        foreach (string file in (Environment.GetEnvironmentVariable("ARBBOT_REPLAY_STRATEGIES") ?? "dutch_book.csx,same_market.csx,maker_hedge.csx").Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            yaml.AppendLine(CultureInfo.InvariantCulture, $"  - file: {Path.Combine(strategies, file)}");
        }

        yaml.AppendLine("execution: { mode: paper, state_db: replay.db }");
        string path = Path.Combine(work, "replay-bench.yaml");
        File.WriteAllText(path, yaml.ToString());
        return path;
    }

    /// <summary>Events per second from the first progress report (65,536 records in, so the engine has started and compiled its strategies) to the last one: the replay loop without start-up and wind-down.</summary>
    private sealed class SteadyRate
    {
        private readonly List<(TimeSpan At, long Records)> _marks = new();

        public double PerSecond
        {
            get
            {
                if (_marks.Count < 2)
                {
                    return 0;
                }

                (TimeSpan endAt, long end) = _marks[^1];
                (TimeSpan startAt, long start) = _marks[0];
                return endAt > startAt ? (end - start) / (endAt - startAt).TotalSeconds : 0;
            }
        }

        /// <summary>The median rate over the windows between marks (65,536 events each): a stall of the machine moves it less than the whole loop's rate.</summary>
        public double MedianWindowPerSecond
        {
            get
            {
                var rates = new List<double>();
                for (int i = 1; i < _marks.Count; i++)
                {
                    double seconds = (_marks[i].At - _marks[i - 1].At).TotalSeconds;
                    if (seconds > 0)
                    {
                        rates.Add((_marks[i].Records - _marks[i - 1].Records) / seconds);
                    }
                }

                rates.Sort();
                return rates.Count == 0 ? 0 : rates[rates.Count / 2];
            }
        }

        public void Mark(TimeSpan at, long records) => _marks.Add((at, records));
    }
}
