using System.Text.Json;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Plugins;
using ArbBot.Engine.Replay;
using ArbBot.Engine.Replay.Sweep;
using ArbBot.Engine.Storage.Recording;
using ArbBot.IntegrationTests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArbBot.IntegrationTests.Replay;

/// <summary>
/// <c>arbbot replay REC... --sweep</c>: every combination over every recording, several replays at
/// once, each row the same as a replay of that recording alone with those parameters in the config.
/// </summary>
[Collection(ReplayCollection.Name)]
public sealed class ParameterSweepTests
{
    private static readonly string s_fixtures = Path.Combine(TestPaths.RepoRoot, "tests", "fixtures", "replay");
    private static readonly string[] s_recordings = [Path.Combine(s_fixtures, "golden-dutch-book.jsonl"), Path.Combine(s_fixtures, "golden-sizing.jsonl")];

    [Fact]
    public async Task Every_row_of_a_parallel_sweep_is_what_a_replay_alone_with_those_parameters_gives()
    {
        ArbBotConfig config = ConfigLoader.Load(Path.Combine(s_fixtures, "golden.yaml"));
        SweepAxis[] axes = [SweepAxis.Parse("dutch_book.min_edge_usd=0.01,1.5,3"), SweepAxis.Parse("same_market.min_edge_usd=0.01, 1")];
        string dir = TestPaths.NewTempDirectory("sweep");
        var fractions = new List<double>();
        SweepResult sweep = await ParameterSweep.RunAsync(config, s_recordings, axes, () => new PluginLoader([TestPaths.PluginsDirectory]),
            new SweepOptions { WorkDirectory = dir, Parallelism = 2, Progress = (fraction, _) => fractions.Add(fraction) }, CancellationToken.None);

        Assert.Equal(12, sweep.Rows.Count); // 3 x 2 combinations x 2 recordings
        Assert.Equal(1.0, fractions[^1]);
        Assert.Equal(["dutch_book.min_edge_usd=0.01 same_market.min_edge_usd=0.01", "dutch_book.min_edge_usd=0.01 same_market.min_edge_usd=1"],
            sweep.Rows.Take(4).Select(r => r.Combination.Label).Distinct());
        foreach (SweepRow row in sweep.Rows)
        {
            // The oracle: the config edited by hand for this combination, replayed alone on this thread.
            ArbBotConfig edited = config with
            {
                Strategies = config.Strategies.Select(s => row.Combination.Settings.Where(x => x.Axis.Strategy == s.Name)
                    .Aggregate(s, (c, x) => c with { Parameters = new Dictionary<string, string>(c.Parameters) { [x.Axis.Parameter] = x.Value } })).ToList(),
            };
            using ISessionSource source = RecordingFile.Open(Path.Combine(s_fixtures, row.Recording));
            ReplayResult alone = await ReplayRunner.RunAsync(edited, source, new PluginLoader([TestPaths.PluginsDirectory]), NullLoggerFactory.Instance,
                new ReplayOptions { StateDatabase = Path.Combine(dir, "alone.db") }, CancellationToken.None);
            SweepRow expected = SweepRow.Of(row.Combination, alone, 0);
            Assert.Equal((expected.Opportunities, expected.Fills, expected.Realised, expected.LockedIn, expected.LeggedCost, expected.Unhedged, expected.Records),
                (row.Opportunities, row.Fills, row.Realised, row.LockedIn, row.LeggedCost, row.Unhedged, row.Records));
            Assert.Empty(row.Problems);
            Assert.True(row.Whole);
        }

        // The parameters matter: the highest minimum edges find less than the lowest (golden-sizing.expected has edges of 0.10 to 2.77).
        SweepReport.CombinationTotals[] totals = SweepReport.Totals(sweep).ToArray();
        Assert.Equal(6, totals.Length);
        Assert.True(totals[0].Opportunities > totals[^1].Opportunities, string.Join("\n", totals.Select(t => $"{t.Combination.Label}: {t.Opportunities}")));
    }

    [Fact]
    public async Task The_command_writes_the_table_csv_json_and_page_and_refuses_a_strategy_the_config_lacks()
    {
        string dir = TestPaths.NewTempDirectory("sweep-cli");
        string config = Path.Combine(s_fixtures, "golden.yaml");
        (int code, string stdout, string stderr) = await ArbBotProcess.RunAsync(dir, TimeSpan.FromMinutes(5),
            "replay", s_recordings[0], s_recordings[1], "--config", config, "--report", Path.Combine(dir, "out"),
            "--sweep", "dutch_book.min_edge_usd=0.01,3", "--sweep", "dutch_book.max_contracts=10,500");
        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        Assert.Contains("best over all recordings: dutch_book.min_edge_usd=0.01 dutch_book.max_contracts=500", stdout, StringComparison.Ordinal);
        Assert.Matches(@"8 replays in [\d.]+ s, \d+ at a time; one after another they took [\d.]+ s", stdout);

        string[] csv = File.ReadAllLines(Path.Combine(dir, "out", "sweep.csv"));
        Assert.Equal("dutch_book.min_edge_usd,dutch_book.max_contracts,recording,opportunities,fills,realised,locked_in,pnl,legged_cost,unhedged_at_end,records,problems", csv[0]);
        Assert.Equal(9, csv.Length);
        Assert.StartsWith("0.01,10,golden-dutch-book.jsonl,", csv[1], StringComparison.Ordinal);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "out", "sweep.json")));
        Assert.Equal(8, json.RootElement.GetProperty("rows").GetArrayLength());
        Assert.Equal(4, json.RootElement.GetProperty("totals").GetArrayLength());
        string html = File.ReadAllText(Path.Combine(dir, "out", "report.html"));
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.Contains("dutch_book.min_edge_usd=0.01 dutch_book.max_contracts=500", html, StringComparison.Ordinal);

        (int refused, _, string why) = await ArbBotProcess.RunAsync(dir, TimeSpan.FromMinutes(2),
            "replay", s_recordings[0], "--config", config, "--report", Path.Combine(dir, "out2"), "--sweep", "dutchbook.min_edge_usd=0.01,3");
        Assert.Equal(2, refused);
        Assert.Contains("--sweep dutchbook.min_edge_usd: ", why, StringComparison.Ordinal);
        Assert.Contains("no enabled strategy named dutchbook (it has: dutch_book, same_market, maker_hedge)", why, StringComparison.Ordinal);

        (int several, _, string alone) = await ArbBotProcess.RunAsync(dir, TimeSpan.FromMinutes(2), "replay", s_recordings[0], s_recordings[1], "--config", config);
        Assert.Equal(2, several);
        Assert.Contains("several only with --sweep", alone, StringComparison.Ordinal);
    }
}
