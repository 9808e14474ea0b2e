using System.Text.Json;
using System.Text.RegularExpressions;
using ArbBot.IntegrationTests.Support;
using StackExchange.Redis;

namespace ArbBot.IntegrationTests.Replay;

/// <summary>
/// `arbbot record` then `arbbot replay` as processes, on the sim venues: the replay finds the
/// opportunities the live run published to Redis, at the same millisecond, two replays (and fast vs. recorded pace) write
/// the same report byte for byte, JSON Lines converted from the recording replays the same, and a
/// recording cut off mid-record replays up to its last whole record with a warning.
/// </summary>
[Collection(ReplayCollection.Name)]
public sealed partial class RecordReplayTests : IClassFixture<RecordReplayTests.SimRecording>
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(3);
    private readonly SimRecording _recording;

    public RecordReplayTests(SimRecording recording)
    {
        _recording = recording;
    }

    [Fact]
    public async Task Replay_finds_the_opportunities_the_live_run_reported()
    {
        string dir = TestPaths.NewTempDirectory("replay-same");
        JsonElement report = await ReplayAsync(dir, _recording.File, "fast");
        Assert.Empty(report.GetProperty("warnings").EnumerateArray());
        string[] replayed = report.GetProperty("opportunities").EnumerateArray()
            .Select(o => $"{o.GetProperty("time_ms").GetInt64()} {o.GetProperty("strategy").GetString()} {o.GetProperty("event").GetString()} edge {o.GetProperty("edge").GetString()}: {o.GetProperty("reason").GetString()}")
            .Where(BookDriven)
            .ToArray();
        string[] live = _recording.LiveOpportunities.Where(BookDriven).ToArray();
        Assert.True(live.Length > 0, "the live run found no opportunity to compare with; the sims' jumps should open some");
        Assert.Equal(live, replayed);
    }

    /// <summary>
    /// The dutch book and same-market strategies decide on the books alone, which the recording
    /// holds; maker-then-hedge also answers its own fills, and those come from the sims' matching
    /// engine live but from the engine's paper executor on replay.
    /// </summary>
    private static bool BookDriven(string opportunity) => !opportunity.Contains(" maker_hedge ", StringComparison.Ordinal);

    [Fact]
    public async Task Two_replays_and_recorded_pace_write_the_same_report()
    {
        string dir = TestPaths.NewTempDirectory("replay-determinism");
        await ReplayAsync(Path.Combine(dir, "a"), _recording.File, "fast");
        await ReplayAsync(Path.Combine(dir, "b"), _recording.File, "fast");
        await ReplayAsync(Path.Combine(dir, "c"), _recording.File, "4x"); // paced: a quarter of the recorded time
        byte[] first = File.ReadAllBytes(Path.Combine(dir, "a", "report", "report.json"));
        Assert.Equal(first, File.ReadAllBytes(Path.Combine(dir, "b", "report", "report.json")));
        Assert.Equal(first, File.ReadAllBytes(Path.Combine(dir, "c", "report", "report.json")));
    }

    [Fact]
    public async Task The_recording_converted_to_JSON_Lines_and_back_replays_the_same()
    {
        string dir = TestPaths.NewTempDirectory("replay-convert");
        string jsonl = Path.Combine(dir, "session.jsonl");
        string back = Path.Combine(dir, "back.arbrec");
        (int code, string stdout, string stderr) = await ArbBotProcess.RunAsync(dir, Generous, "convert", _recording.File, jsonl);
        Assert.True(code == 0, stderr);
        Assert.Contains("wrote", stdout);
        string firstLine = File.ReadLines(jsonl).First();
        Assert.Matches("^\\{\"ts\":\\d+(\\.\\d+)?,\"venue\":\"sim-(kalshi|poly)\",", firstLine);
        (code, _, stderr) = await ArbBotProcess.RunAsync(dir, Generous, "convert", jsonl, back);
        Assert.True(code == 0, stderr);

        JsonElement native = await ReplayAsync(Path.Combine(dir, "n"), _recording.File, "fast");
        JsonElement fromJsonl = await ReplayAsync(Path.Combine(dir, "j"), jsonl, "fast");
        JsonElement roundTrip = await ReplayAsync(Path.Combine(dir, "r"), back, "fast");
        Assert.Equal(WithoutName(native), WithoutName(fromJsonl));
        Assert.Equal(WithoutName(native), WithoutName(roundTrip));
    }

    [Fact]
    public async Task A_recording_cut_off_mid_record_replays_up_to_its_last_whole_record_with_a_warning()
    {
        string dir = TestPaths.NewTempDirectory("replay-truncated");
        string cut = Path.Combine(dir, "cut.arbrec");
        byte[] bytes = File.ReadAllBytes(_recording.File);
        int keep = (bytes.Length / 2) + 7; // almost surely inside a record; the reader must cope wherever it falls
        File.WriteAllBytes(cut, bytes[..keep]);
        JsonElement whole = await ReplayAsync(Path.Combine(dir, "whole"), _recording.File, "fast");
        JsonElement half = await ReplayAsync(Path.Combine(dir, "half"), cut, "fast");
        long records = half.GetProperty("records").GetInt64();
        Assert.InRange(records, 1, whole.GetProperty("records").GetInt64() - 1);
        string warnings = string.Join("\n", half.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()));
        Assert.Matches(@"cut\.arbrec (ends inside a record|has a record whose checksum does not match) at byte \d+", warnings);
    }

    [Fact]
    public async Task Bad_input_is_refused_naming_the_file_and_line()
    {
        string dir = TestPaths.NewTempDirectory("replay-bad");
        string bad = Path.Combine(dir, "bad.jsonl");
        File.WriteAllLines(bad,
        [
            "{\"ts\": 1767225600000, \"venue\": \"sim-kalshi\", \"book\": {\"market\": \"SIMK-E01\", \"yes\": {\"bids\": []}, \"no\": {\"bids\": []}}}",
            "{\"ts\": 1767225600001, \"venue\": \"sim-kalshi\", \"price\": \"0.5\"}",
        ]);
        (int code, _, string stderr) = await ArbBotProcess.RunAsync(dir, Generous, "replay", bad, "--config", _recording.Config, "--report", Path.Combine(dir, "report"));
        Assert.Equal(2, code);
        Assert.Contains("bad.jsonl:2: a line needs one of \"frame\", \"book\", \"delta\", \"invalidated\", \"fees\", \"status\", \"resolved\" or \"mark\"", stderr);

        string notOne = Path.Combine(dir, "random.arbrec");
        File.WriteAllBytes(notOne, [0x41, 0x52, 0x42, 0x52, 0x45, 0x43, 9, 0]);
        (code, _, stderr) = await ArbBotProcess.RunAsync(dir, Generous, "replay", notOne, "--config", _recording.Config, "--report", Path.Combine(dir, "report"));
        Assert.Equal(2, code);
        Assert.Contains("random.arbrec: recording format version 9; this build reads version 1", stderr);

        // A line that reads but cannot be used is skipped with its place, and the replay goes on.
        File.WriteAllLines(bad,
        [
            "{\"ts\": 1767225600000, \"venue\": \"sim-kalshi\", \"book\": {\"market\": \"SIMK-E01\", \"outcome\": \"yes\", \"bids\": [], \"asks\": [[\"0.40\", \"10\"]]}}",
            "{\"ts\": 1767225600001, \"venue\": \"sim-kalshi\", \"delta\": {\"market\": \"SIMK-E01\", \"outcome\": \"yes\", \"side\": \"bid\", \"price\": \"1.40\", \"size\": \"10\"}}",
        ]);
        (code, string stdout, stderr) = await ArbBotProcess.RunAsync(dir, Generous, "replay", bad, "--config", _recording.Config, "--report", Path.Combine(dir, "report"), "--json");
        Assert.Equal(0, code);
        string warnings = string.Join("\n", JsonDocument.Parse(stdout).RootElement.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()));
        Assert.Contains("bad.jsonl:1: sim-kalshi event skipped: this venue's books are bids only", warnings);
        Assert.Contains("bad.jsonl:2: sim-kalshi event skipped: delta price must be a decimal string between 0 and 1, was \"1.40\"", warnings);
    }

    [Fact]
    public async Task A_damaged_record_in_the_middle_fails_the_replay_saying_what_was_lost_and_skip_damaged_replays_past_it()
    {
        string dir = TestPaths.NewTempDirectory("replay-damaged");
        string damaged = Path.Combine(dir, "damaged.arbrec");
        byte[] bytes = File.ReadAllBytes(_recording.File);
        int at = bytes.Length / 2;
        for (int i = 0; i < 24; i++)
        {
            bytes[at + i] ^= 0x5A; // a stretch of flipped bits in the middle: a record whose checksum (or length) no longer holds
        }

        File.WriteAllBytes(damaged, bytes);
        (int code, string stdout, string stderr) = await ArbBotProcess.RunAsync(dir, Generous, "replay", damaged, "--config", _recording.Config, "--report", Path.Combine(dir, "stop"), "--json");
        Assert.True(code == 1, $"exit {code}\n{stderr}");
        long stopped = JsonDocument.Parse(stdout).RootElement.GetProperty("records").GetInt64();
        Assert.Contains("records before it were read, the", stderr, StringComparison.Ordinal);
        Assert.Contains("--skip-damaged", stderr, StringComparison.Ordinal);

        (code, stdout, stderr) = await ArbBotProcess.RunAsync(dir, Generous, "replay", damaged, "--config", _recording.Config, "--report", Path.Combine(dir, "skip"), "--json", "--skip-damaged");
        Assert.True(code == 0, $"exit {code}\n{stderr}");
        JsonElement report = JsonDocument.Parse(stdout).RootElement;
        Assert.Contains("damaged stretches skipped", string.Join("\n", report.GetProperty("warnings").EnumerateArray().Select(w => w.GetString())), StringComparison.Ordinal);
        Assert.True(report.GetProperty("records").GetInt64() > stopped + 1, $"skipping replayed {report.GetProperty("records")} records, stopping {stopped}");
    }

    [Fact]
    public async Task A_record_far_from_the_others_in_time_is_a_skipped_gap_not_years_of_timers()
    {
        string dir = TestPaths.NewTempDirectory("replay-gap");
        string fixtures = Path.Combine(TestPaths.RepoRoot, "tests", "fixtures", "replay");
        string file = Path.Combine(dir, "gap.jsonl");
        // One status record from 2001 before a session of 2026: 25 years of 250 ms kernel ticks if lived through.
        File.WriteAllLines(file, ["{\"ts\": 1000000000000, \"venue\": \"alpha\", \"status\": {\"status\": \"connected\", \"detail\": \"a clock set wrong\"}}", .. File.ReadAllLines(Path.Combine(fixtures, "golden-dutch-book.jsonl"))]);
        (int code, string stdout, string stderr) = await ArbBotProcess.RunAsync(dir, TimeSpan.FromMinutes(3), "replay", file, "--config", Path.Combine(fixtures, "golden.yaml"), "--report", Path.Combine(dir, "report"), "--json");
        Assert.True(code == 0, $"exit {code}\n{stderr}");
        JsonElement report = JsonDocument.Parse(stdout).RootElement;
        Assert.Contains("with no record before it", string.Join("\n", report.GetProperty("warnings").EnumerateArray().Select(w => w.GetString())), StringComparison.Ordinal);
        Assert.Equal(1, report.GetProperty("totals").GetProperty("attempts").GetProperty("filled").GetInt64()); // the session after the gap trades as it does without it
    }

    private static string WithoutName(JsonElement report) =>
        string.Join("\n", report.EnumerateObject().Where(p => p.Name != "recording").Select(p => p.ToString()));

    private async Task<JsonElement> ReplayAsync(string dir, string file, string speed)
    {
        Directory.CreateDirectory(dir);
        (int code, string stdout, string stderr) = await ArbBotProcess.RunAsync(dir, Generous, "replay", file, "--config", _recording.Config, "--report", Path.Combine(dir, "report"), "--speed", speed, "--json");
        Assert.True(code == 0, $"exit {code}\n{stderr}");
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }

    /// <summary>One `arbbot record` run on the sim venues (jumpier than the default, so opportunities come quickly), with Redis catching what it reports live.</summary>
    public sealed partial class SimRecording : IAsyncLifetime
    {
        public string Config { get; private set; } = "";

        public string File { get; private set; } = "";

        /// <summary>The live run's opportunities from the Redis opps stream, oldest first, as "unix-ms strategy event edge E: reason".</summary>
        public string[] LiveOpportunities { get; private set; } = [];

        public async Task InitializeAsync()
        {
            string dir = TestPaths.NewTempDirectory("record-sim");
            using RedisServer redis = RedisServer.StartNew();
            string yaml = System.IO.File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "arbbot.yaml"))
                .Replace("updates_per_second: \"200\"", "updates_per_second: \"100\"")
                .Replace("jumps_per_minute: \"10\"", "jumps_per_minute: \"90\"")
                .Replace("jump_size: \"0.08\"", "jump_size: \"0.12\"")
                .Replace("id: local-1", "id: record-engine")
                .Replace("state_db: .arbbot/arbbot.db", "state_db: state/arbbot.db")
                .Replace("connection: localhost:6379", $"connection: {redis.Connection}")
                .Replace("key_prefix: arb", "key_prefix: rec")
                .Replace("file: strategies/", $"file: {Path.Combine(TestPaths.RepoRoot, "strategies")}/");
            Config = Path.Combine(dir, "arbbot.yaml");
            System.IO.File.WriteAllText(Config, yaml);
            File = Path.Combine(dir, "session.arbrec");
            (int code, string stdout, string stderr) = await ArbBotProcess.RunAsync(dir, Generous, "record", "--config", Config, "--out", File, "--duration", "12s");
            Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
            Assert.Matches(RecordedLine(), stdout);

            using ConnectionMultiplexer client = redis.Client();
            // StackExchange.Redis 1.2.6 has no stream API: XRANGE answers [id, [field, value, ...]] per entry.
            var entries = (RedisResult[])(await client.GetDatabase().ExecuteAsync("XRANGE", "rec:opps", "-", "+"))!;
            LiveOpportunities = entries.Select(entry =>
            {
                var pairs = (RedisResult[])((RedisResult[])entry!)[1]!;
                var fields = new Dictionary<string, string>();
                for (int i = 0; i + 1 < pairs.Length; i += 2)
                {
                    fields[(string)pairs[i]!] = (string)pairs[i + 1]!;
                }

                return $"{fields["ts"]} {fields["strategy"]} {fields["event"]} edge {fields["edge"]}: {fields["reason"]}";
            }).ToArray();
        }

        public Task DisposeAsync() => Task.CompletedTask;

        [GeneratedRegex(@"recorded [\d,]+ records \([\d.]+ MiB\) into ")]
        private static partial Regex RecordedLine();
    }
}
