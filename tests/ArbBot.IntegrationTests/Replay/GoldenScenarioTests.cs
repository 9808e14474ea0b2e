using System.Globalization;
using System.Text.Json;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Plugins;
using ArbBot.Engine.Replay;
using ArbBot.Engine.Replay.Report;
using ArbBot.Engine.Risk;
using ArbBot.Engine.Storage.Recording;
using ArbBot.IntegrationTests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArbBot.IntegrationTests.Replay;

/// <summary>
/// Replays of hand-written JSON Lines books (tests/fixtures/replay), each against the figures worked
/// out by hand in the recording's comments and kept beside it in a <c>.expected</c> file: every
/// strategy's opportunities (edges after both venues' fees, sizes, prices, and nothing where fees
/// remove the edge), and for the maker scenarios the claimed edge, the fills and the P&amp;L locked in.
/// The replays run in-process through <see cref="ReplayRunner"/>; one runs through <c>arbbot replay</c>
/// as a user would, to show the command prints and writes the same report.
/// </summary>
[Collection(ReplayCollection.Name)]
public sealed class GoldenScenarioTests
{
    private const long OneSecondIn = 1767225601000;
    private static readonly string s_fixtures = Path.Combine(TestPaths.RepoRoot, "tests", "fixtures", "replay");

    public static TheoryData<string> Scenarios => new() { "golden-dutch-book.jsonl", "golden-same-market.jsonl", "golden-maker-hedge.jsonl", "golden-sizing.jsonl" };

    public static TheoryData<string> MakerScenarios => new() { "golden-maker-fills.jsonl", "golden-maker-moved.jsonl" };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Replay_finds_exactly_the_hand_computed_opportunities(string file)
    {
        string[] expected = Expected(file);
        Assert.NotEmpty(expected);
        using JsonDocument report = await ReplayInProcess(file, "golden.yaml");
        string[] found = report.RootElement.GetProperty("opportunities").EnumerateArray().Select(Describe).ToArray();
        Assert.Equal(expected, found); // and nothing for the near misses
    }

    [Fact]
    public async Task The_basket_buys_yes_or_no_on_every_outcome_as_computed_by_hand_and_not_once_the_fees_take_a_set_past_its_payout()
    {
        using JsonDocument report = await ReplayInProcess("golden-basket.jsonl", "golden-basket.yaml");
        string[] found = report.RootElement.GetProperty("opportunities").EnumerateArray().Select(Describe).ToArray();
        Assert.Equal(Expected("golden-basket.jsonl"), found);
        JsonElement totals = report.RootElement.GetProperty("totals");
        Assert.Empty(totals.GetProperty("risk_rejections").EnumerateObject());
        Assert.Equal(4 + 3, totals.GetProperty("orders_sent").GetInt32());
        Assert.Equal(4 + 3, totals.GetProperty("orders_filled").GetInt32());
        Assert.Equal(0, totals.GetProperty("legged_episodes").GetInt32());

        // The baskets filled at the prices they were computed on: what they lock in is the hand-computed edge, to the micro-dollar.
        Money handComputed = Money.Parse("6.80248") + Money.Parse("5.03632");
        Assert.Equal(handComputed, Money.Parse(totals.GetProperty("realised_edge").GetString()!));
        Assert.Equal(handComputed, Money.Parse(totals.GetProperty("locked_in").GetString()!));
        Assert.Equal(Money.Zero, Money.Parse(totals.GetProperty("unhedged_at_end").GetString()!));
    }

    [Fact]
    public async Task The_replay_command_prints_and_writes_the_same_report_and_page()
    {
        string dir = TestPaths.NewTempDirectory("golden-cli");
        (int code, string stdout, string stderr) = await ArbBotProcess.RunAsync(dir, TimeSpan.FromMinutes(2),
            "replay", Path.Combine(s_fixtures, "golden-dutch-book.jsonl"), "--config", Path.Combine(s_fixtures, "golden.yaml"), "--report", Path.Combine(dir, "report"), "--json");
        Assert.True(code == 0, $"exit {code}\n{stderr}");
        using JsonDocument report = JsonDocument.Parse(stdout);
        Assert.Equal(Expected("golden-dutch-book.jsonl"), report.RootElement.GetProperty("opportunities").EnumerateArray().Select(Describe).ToArray());
        Assert.Equal(stdout.Trim(), File.ReadAllText(Path.Combine(dir, "report", "report.json")).Trim());
        string html = File.ReadAllText(Path.Combine(dir, "report", "report.html"));
        Assert.Contains("<svg", html);
        Assert.Contains("dutch_book", html);
    }

    [Theory]
    [MemberData(nameof(MakerScenarios))]
    public async Task A_maker_quote_locks_in_at_least_the_edge_it_claimed(string file)
    {
        Dictionary<string, string> expected = Expected(file).Select(l => l.Split(' ', 2)).ToDictionary(p => p[0], p => p[1]);
        using JsonDocument report = await ReplayInProcess(file, "golden-maker.yaml");
        JsonElement root = report.RootElement;
        JsonElement quote = root.GetProperty("opportunities").EnumerateArray().First();
        Assert.Equal(OneSecondIn, quote.GetProperty("time_ms").GetInt64());
        Assert.Equal(expected["claimed"], quote.GetProperty("edge").GetString());
        Assert.Equal(int.Parse(expected["fills"], CultureInfo.InvariantCulture), root.GetProperty("fills").GetArrayLength());
        JsonElement totals = root.GetProperty("totals");
        Assert.Equal(expected["locked_in"], totals.GetProperty("locked_in").GetString());
        Assert.Equal("0.00", totals.GetProperty("unhedged_at_end").GetString());
        Assert.Equal(0, totals.GetProperty("legged_episodes").GetInt32());
        Assert.True(Money.Parse(expected["locked_in"]) >= Money.Parse(expected["claimed"]), $"locked in {expected["locked_in"]} < claimed {expected["claimed"]}");
    }

    [Fact]
    public async Task A_maker_quote_refused_by_risk_is_sent_again_once_risk_allows_it()
    {
        using JsonDocument report = await ReplayInProcess("golden-maker-refused.jsonl", "golden-maker.yaml");
        JsonElement root = report.RootElement;
        Assert.Equal(1, root.GetProperty("totals").GetProperty("risk_rejections").GetProperty(RejectReason.NewEpoch).GetInt32());
        JsonElement order = Assert.Single(root.GetProperty("orders").EnumerateArray());
        Assert.Equal((OneSecondIn + 600, "beta", "0.41", "50.00"),
            (order.GetProperty("time_ms").GetInt64(), order.GetProperty("venue").GetString(), order.GetProperty("price").GetString(), order.GetProperty("size").GetString()));
    }

    /// <summary>The expectation kept beside a recording: its <c>.expected</c> file's lines, without comments.</summary>
    private static string[] Expected(string recording) =>
        File.ReadAllLines(Path.Combine(s_fixtures, Path.ChangeExtension(recording, ".expected")))
            .Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();

    /// <summary>Replays a recording in this process, as <c>arbbot replay --json</c> does, and returns its report.</summary>
    private static async Task<JsonDocument> ReplayInProcess(string file, string config)
    {
        string dir = TestPaths.NewTempDirectory("golden-" + Path.GetFileNameWithoutExtension(file));
        ArbBotConfig loaded = ConfigLoader.Load(Path.Combine(s_fixtures, config));
        using ISessionSource source = RecordingFile.Open(Path.Combine(s_fixtures, file));
        var options = new ReplayOptions { StateDatabase = Path.Combine(dir, "replay.db") };
        ReplayResult result = await ReplayRunner.RunAsync(loaded, source, new PluginLoader([TestPaths.PluginsDirectory]), NullLoggerFactory.Instance, options, CancellationToken.None);
        Assert.Empty(result.Warnings);
        using var json = new MemoryStream();
        ReplayReportJson.Write(json, result);
        return JsonDocument.Parse(json.ToArray());
    }

    private static string Describe(JsonElement o)
    {
        string legs = string.Join("; ", o.GetProperty("legs").EnumerateArray().Select(l =>
            $"{l.GetProperty("venue").GetString()} {l.GetProperty("market").GetString()} {l.GetProperty("outcome").GetString()} {l.GetProperty("side").GetString()} {l.GetProperty("price").GetString()} {l.GetProperty("size").GetString()}"));
        return $"{o.GetProperty("strategy").GetString()} {o.GetProperty("event").GetString()} {o.GetProperty("time_ms").GetInt64()} {o.GetProperty("edge").GetString()} {o.GetProperty("outcome").GetString()} | {legs}";
    }
}
