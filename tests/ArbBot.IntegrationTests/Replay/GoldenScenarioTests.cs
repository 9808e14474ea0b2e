using System.Text.Json;
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

    public static TheoryData<string, string> Scenarios => new()
    {
        // file, expected opportunities: "strategy event time edge outcome | legs"
        { "golden-dutch-book.jsonl", $"dutch_book E1 {OneSecondIn} 2.825 filled | alpha A1 yes buy 0.40 100.00; beta B1 no buy 0.55 100.00" },
        { "golden-same-market.jsonl", $"same_market E3 {OneSecondIn} 2.0025 filled | beta B3 yes buy 0.45 50.00; beta B3 no buy 0.50 50.00" },
        { "golden-maker-hedge.jsonl", $"maker_hedge E5 {OneSecondIn} 3.2504 unfilled | alpha A5 yes buy 0.41 50.00" },
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Replay_finds_exactly_the_hand_computed_opportunities(string file, string expected)
    {
        string dir = TestPaths.NewTempDirectory("golden-" + Path.GetFileNameWithoutExtension(file));
        string fixtures = Path.Combine(TestPaths.RepoRoot, "tests", "fixtures", "replay");
        (int code, string stdout, string stderr) = await ArbBotProcess.RunAsync(dir, TimeSpan.FromMinutes(2),
            "replay", Path.Combine(fixtures, file), "--config", Path.Combine(fixtures, "golden.yaml"), "--report", Path.Combine(dir, "report"), "--json");
        Assert.True(code == 0, $"exit {code}\n{stderr}");
        using JsonDocument report = JsonDocument.Parse(stdout);
        JsonElement root = report.RootElement;
        Assert.Empty(root.GetProperty("warnings").EnumerateArray());
        string[] found = root.GetProperty("opportunities").EnumerateArray().Select(Describe).ToArray();
        Assert.Equal([expected], found); // and nothing for the near misses (E2, E4, E6)

        // The report on disk is the one printed, and the page shows the same opportunity.
        Assert.Equal(stdout.Trim(), File.ReadAllText(Path.Combine(dir, "report", "report.json")).Trim());
        string html = File.ReadAllText(Path.Combine(dir, "report", "report.html"));
        Assert.Contains("<svg", html);
        Assert.Contains(expected.Split(' ')[0], html);
    }

    private static string Describe(JsonElement o)
    {
        string legs = string.Join("; ", o.GetProperty("legs").EnumerateArray().Select(l =>
            $"{l.GetProperty("venue").GetString()} {l.GetProperty("market").GetString()} {l.GetProperty("outcome").GetString()} {l.GetProperty("side").GetString()} {l.GetProperty("price").GetString()} {l.GetProperty("size").GetString()}"));
        return $"{o.GetProperty("strategy").GetString()} {o.GetProperty("event").GetString()} {o.GetProperty("time_ms").GetInt64()} {o.GetProperty("edge").GetString()} {o.GetProperty("outcome").GetString()} | {legs}";
    }
}
