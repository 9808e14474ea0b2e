using System.Text.Json;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.IntegrationTests.Support;

namespace ArbBot.IntegrationTests.Replay;

/// <summary>
/// `arbbot replay` on hand-written JSON Lines books (tests/fixtures/replay), each strategy's
/// opportunities against the figures worked out by hand in the files' comments: the edges after
/// both venues' fees, the sizes, the prices, and no opportunity where the fees remove the edge.
/// </summary>
[Collection(ReplayCollection.Name)]
public sealed class GoldenScenarioTests
{
    private const long OneSecondIn = 1767225601000;

    public static TheoryData<string, string[]> Scenarios => new()
    {
        // file, expected opportunities: "strategy event time edge outcome | legs"
        { "golden-dutch-book.jsonl", [$"dutch_book E1 {OneSecondIn} 2.825 filled | alpha A1 yes buy 0.40 100.00; beta B1 no buy 0.55 100.00"] },
        { "golden-same-market.jsonl", [$"same_market E3 {OneSecondIn} 2.0025 filled | beta B3 yes buy 0.45 50.00; beta B3 no buy 0.50 50.00"] },
        { "golden-maker-hedge.jsonl", [$"maker_hedge E5 {OneSecondIn} 2.24985 unfilled | alpha A5 yes buy 0.41 50.00"] },
        {
            // One case for each way the first sizer went wrong: a thin top level, a level under one contract,
            // edge rising and falling with size, contracts that lose at the margin.
            "golden-sizing.jsonl",
            [
                $"dutch_book E7 {OneSecondIn} 2.77 filled | alpha A7 yes buy 0.45 100.00; beta B7 no buy 0.50 100.00",
                $"dutch_book E8 {OneSecondIn} 1.365 filled | alpha A8 yes buy 0.42 20.00; beta B8 no buy 0.50 20.00",
                $"same_market E9 {OneSecondIn} 0.10 filled | alpha A9 yes buy 0.87 20.00; alpha A9 no buy 0.11 20.00",
                $"dutch_book E10 {OneSecondIn} 1.66 filled | alpha A10 yes buy 0.45 60.00; beta B10 no buy 0.50 60.00",
            ]
        },
    };

    /// <summary>file, the quote's claimed edge, fills (maker pieces and hedges), locked-in P&amp;L at the end.</summary>
    public static TheoryData<string, string, int, string> MakerScenarios => new()
    {
        { "golden-maker-fills.jsonl", "1.105", 100, "2.50" },
        { "golden-maker-moved.jsonl", "1.105", 2, "1.63" },
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Replay_finds_exactly_the_hand_computed_opportunities(string file, string[] expected)
    {
        (JsonDocument report, string dir, string stdout) = await Replay(file, "golden.yaml");
        using (report)
        {
            string[] found = report.RootElement.GetProperty("opportunities").EnumerateArray().Select(Describe).ToArray();
            Assert.Equal(expected, found); // and nothing for the near misses (E2, E4, E6)

            // The report on disk is the one printed, and the page shows the same opportunities.
            Assert.Equal(stdout.Trim(), File.ReadAllText(Path.Combine(dir, "report", "report.json")).Trim());
            string html = File.ReadAllText(Path.Combine(dir, "report", "report.html"));
            Assert.Contains("<svg", html);
            Assert.Contains(expected[0].Split(' ')[0], html);
        }
    }

    [Theory]
    [MemberData(nameof(MakerScenarios))]
    public async Task A_maker_quote_locks_in_at_least_the_edge_it_claimed(string file, string claimed, int fills, string lockedIn)
    {
        (JsonDocument report, _, _) = await Replay(file, "golden-maker.yaml");
        using (report)
        {
            JsonElement root = report.RootElement;
            JsonElement quote = root.GetProperty("opportunities").EnumerateArray().First();
            Assert.Equal(OneSecondIn, quote.GetProperty("time_ms").GetInt64());
            Assert.Equal(claimed, quote.GetProperty("edge").GetString());
            Assert.Equal(fills, root.GetProperty("fills").GetArrayLength());
            JsonElement totals = root.GetProperty("totals");
            Assert.Equal(lockedIn, totals.GetProperty("locked_in").GetString());
            Assert.Equal("0.00", totals.GetProperty("unhedged_at_end").GetString());
            Assert.Equal(0, totals.GetProperty("legged_episodes").GetInt32());
            Assert.True(Money.Parse(lockedIn) >= Money.Parse(claimed), $"locked in {lockedIn} < claimed {claimed}");
        }
    }

    [Fact]
    public async Task A_maker_quote_refused_by_risk_is_sent_again_once_risk_allows_it()
    {
        (JsonDocument report, _, _) = await Replay("golden-maker-refused.jsonl", "golden-maker.yaml");
        using (report)
        {
            JsonElement root = report.RootElement;
            Assert.Equal(1, root.GetProperty("totals").GetProperty("risk_rejections").GetProperty("new_epoch").GetInt32());
            JsonElement order = Assert.Single(root.GetProperty("orders").EnumerateArray());
            Assert.Equal((OneSecondIn + 600, "beta", "0.41", "50.00"),
                (order.GetProperty("time_ms").GetInt64(), order.GetProperty("venue").GetString(), order.GetProperty("price").GetString(), order.GetProperty("size").GetString()));
        }
    }

    private static async Task<(JsonDocument Report, string Dir, string Stdout)> Replay(string file, string config)
    {
        string dir = TestPaths.NewTempDirectory("golden-" + Path.GetFileNameWithoutExtension(file));
        string fixtures = Path.Combine(TestPaths.RepoRoot, "tests", "fixtures", "replay");
        (int code, string stdout, string stderr) = await ArbBotProcess.RunAsync(dir, TimeSpan.FromMinutes(2),
            "replay", Path.Combine(fixtures, file), "--config", Path.Combine(fixtures, config), "--report", Path.Combine(dir, "report"), "--json");
        Assert.True(code == 0, $"exit {code}\n{stderr}");
        JsonDocument report = JsonDocument.Parse(stdout);
        Assert.Empty(report.RootElement.GetProperty("warnings").EnumerateArray());
        return (report, dir, stdout);
    }

    private static string Describe(JsonElement o)
    {
        string legs = string.Join("; ", o.GetProperty("legs").EnumerateArray().Select(l =>
            $"{l.GetProperty("venue").GetString()} {l.GetProperty("market").GetString()} {l.GetProperty("outcome").GetString()} {l.GetProperty("side").GetString()} {l.GetProperty("price").GetString()} {l.GetProperty("size").GetString()}"));
        return $"{o.GetProperty("strategy").GetString()} {o.GetProperty("event").GetString()} {o.GetProperty("time_ms").GetInt64()} {o.GetProperty("edge").GetString()} {o.GetProperty("outcome").GetString()} | {legs}";
    }
}
