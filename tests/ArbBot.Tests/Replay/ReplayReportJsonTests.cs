using ArbBot.Abstractions.FixedPoint;
using ArbBot.Engine.Execution;
using ArbBot.Engine.Replay;
using ArbBot.Engine.Replay.Report;

namespace ArbBot.Tests.Replay;

/// <summary>
/// The replay report JSON (`arbbot replay --json`), which scripts read: the same bytes as the
/// hand-built writer it replaced wrote for the same result (the fixture was written by that
/// writer), with every part present and every optional field both present and absent.
/// </summary>
public sealed class ReplayReportJsonTests
{
    private static readonly string s_fixture = Path.Combine(AppContext.BaseDirectory, "fixtures", "replay", "report-writer-output.json");

    [Fact]
    public void A_result_with_every_part_is_written_as_the_hand_built_writer_wrote_it()
    {
        Assert.Equal(File.ReadAllText(s_fixture), Write(Result()));
    }

    [Fact]
    public void An_empty_replay_has_empty_lists_no_execution_totals_and_the_default_histogram()
    {
        string written = Write(new ReplayResult { Recording = "empty.jsonl" });
        Assert.Contains("\"opportunities\": []", written, StringComparison.Ordinal);
        Assert.DoesNotContain("orders_sent", written, StringComparison.Ordinal);
        Assert.Contains("\"bucket_width\": \"0.01\"", written, StringComparison.Ordinal);
    }

    private static string Write(ReplayResult result)
    {
        using var stream = new MemoryStream();
        ReplayReportJson.Write(stream, result);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static ReplayResult Result()
    {
        var result = new ReplayResult { Recording = "session <1> & \"é\".jsonl", Records = 12_345, KernelEvents = 23_456, FromMs = 1_795_306_881_000, ToMs = 1_795_306_941_000 };
        result.Warnings.Add("a gap in poly's feed at record 17");
        result.Warnings.Add("line 3: unknown event \"x\"");
        result.AttemptOutcomes["filled"] = 2;
        result.AttemptOutcomes["legged"] = 1;
        result.Strategies.Add(new ReplayStrategyStats("dutch_book", "1a2b3c", 900, 1, 3, 5, new Dictionary<string, long> { ["rejected"] = 2, ["filled"] = 1 }, Money.Parse("1.234567")));
        result.Strategies.Add(new ReplayStrategyStats("maker", "-", 0, 0, 0, 0, new Dictionary<string, long>(), Money.Zero));
        result.Opportunities.Add(new ReplayOpportunity(1_795_306_882_000, "dutch_book", "E1", 7, Money.Parse("0.5"), Money.Parse("0.01"), "yes k + no poly",
            [new ReplayLeg("k", "K-E1", "yes", "buy", Price.Parse("0.45"), Quantity.FromContracts(50)), new ReplayLeg("poly", "P-E1", "no", "buy", Price.Parse("0.5355"), Quantity.Parse("50.5"))])
        { Outcome = "filled", OutcomeDetail = "realised edge 0.48" });
        result.Opportunities.Add(new ReplayOpportunity(1_795_306_883_500, "dutch_book", "E&2", 8, Money.Parse("-0.002"), Money.Parse("-0.0001"), "", []));
        result.Orders.Add(new ReplayOrder(1_795_306_882_005, "k", "K-E1", "yes", "buy", Price.Parse("0.45"), Quantity.FromContracts(50), "ioc", false, "arb-1-1") { Status = "filled", Filled = Quantity.FromContracts(50) });
        result.Orders.Add(new ReplayOrder(1_795_306_882_006, "poly", "P-E1", "no", "buy", Price.Parse("0.5355"), Quantity.Parse("50.5"), "gtc", true, "arb-1-2") { Status = "rejected", Reason = "post only would cross" });
        result.Fills.Add(new ReplayFill(1_795_306_882_010, "k", "K-E1", "yes", "buy", Price.Parse("0.45"), Quantity.FromContracts(50), Money.Parse("0.88"), false, "arb-1-1"));
        result.Fills.Add(new ReplayFill(1_795_306_882_020, "poly", "P-E1", "no", "sell", Price.Parse("0.54"), Quantity.Parse("0.5"), Money.Zero, true, "arb-1-2"));
        result.Legged.Add(new ReplayLegged("E1", 1_795_306_882_010, 1_795_306_884_000, "no", Quantity.FromContracts(50), Money.Parse("22.5"), "hedged", Money.Parse("-0.25")));
        result.Legged.Add(new ReplayLegged("E&2", 1_795_306_885_000, null, "yes", Quantity.FromContracts(3), Money.Parse("1.2"), "open", null));
        result.Pnl.Add(new ReplayPnlPoint(1_795_306_882_000, Money.Zero, Money.Zero, Money.Zero));
        result.Pnl.Add(new ReplayPnlPoint(1_795_306_883_000, Money.Parse("0.1"), Money.Parse("0.48"), Money.Parse("-22.5")));
        result.Execution = new ExecutionSummary("paper", 3, new Dictionary<string, long> { ["filled"] = 2 }, 4, 3, 2, 0,
            new Dictionary<string, long> { ["min_edge"] = 3, ["event_legged"] = 2 }, 0, 0, 1, 1, new Dictionary<string, int> { ["hedged"] = 1 },
            Money.Parse("-0.25"), Money.Parse("0.1"), Money.Parse("0.48"), Money.Parse("1.2"), Money.Zero, Money.Parse("22.5"), Money.Parse("0.48"), Money.Parse("0.5"), 0, "off", []);
        return result;
    }
}
