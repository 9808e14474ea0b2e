using ArbBot.Abstractions.FixedPoint;
using ArbBot.Engine.Execution;
using ArbBot.Engine.Hosting;
using ArbBot.Engine.Mirror;

namespace ArbBot.Tests.Hosting;

/// <summary>
/// The engine's status JSON, which the dashboard and `arbbot top` (other processes) read: the
/// same bytes as the hand-built writer it replaced wrote for the same summary (the fixture was
/// written by that writer; the pairs and fees it ended with moved to keys of their own with
/// schema 2), every field and case in it.
/// </summary>
public sealed class EngineStatusJsonTests
{
    private static readonly string s_fixture = Path.Combine(AppContext.BaseDirectory, "fixtures", "status", "engine-status.json");

    [Fact]
    public void A_summary_with_every_part_is_written_as_the_hand_built_writer_wrote_it()
    {
        string written = Writer().Write(Summary());
        Assert.Equal(File.ReadAllText(s_fixture).TrimEnd('\n'), written);
    }

    [Fact]
    public void A_summary_before_trading_leaves_execution_out_and_an_unheard_venue_has_no_age()
    {
        EngineSummary early = Summary() with { Execution = null, Positions = [] };
        string written = Writer().Write(early);
        Assert.DoesNotContain("\"execution\"", written, StringComparison.Ordinal);
        Assert.Contains("\"last_update_age_ms\":null", written, StringComparison.Ordinal);
        Assert.Contains("\"positions\":[]", written, StringComparison.Ordinal);
    }

    private static EngineStatusJson Writer() => new("status-test");

    internal static EngineSummary Summary() => new(
        TimeSpan.FromSeconds(12.34), 2, 3, 1, 0, 1, 7, 123_456, 2, 40,
        [
            new VenueSummary("k", "kalshi", "connected", 2, 0, 1_000, 2, 1, 0, 0, 0, 123.456, 9, 1) { LastUpdateAgeMs = 12.6, Reconnects = 1 },
            new VenueSummary("poly", "polymarket", "connecting", 1, 1, 0, 0, 0, 0, 0, 0, 0),
        ],
        [new StrategySummary("dutch_book", "1a2b3c", "off: <too slow> & \"stopped\" é", 500, 1, 2, 3, 4) { File = "strategies/dutch_book.csx" }],
        new MirrorStatus("connected", 10, 5.5, 0.1234, 2.5678, 0))
    {
        LatencyP50Us = 1.26,
        LatencyP99Us = 15.04,
        Execution = new ExecutionSummary("paper", 5, new Dictionary<string, long> { ["legged"] = 1, ["filled"] = 4 }, 10, 8, 9, 1,
            new Dictionary<string, long> { ["min_edge"] = 3, ["event_legged"] = 2 }, 0, 0, 1, 0, new Dictionary<string, int> { ["hedged"] = 1 },
            Money.Parse("-0.25"), Money.Parse("1.5"), Money.Parse("2.000001"), Money.Zero, Money.Parse("-0.1"), Money.Parse("30"), Money.Parse("3.2"), Money.Parse("3"),
            0, "off", []),
        Positions = [new PositionSummary("E1", Quantity.FromContracts(10), Quantity.FromContracts(10), Quantity.FromContracts(10), Quantity.Zero, Money.Parse("0.9"), Money.Zero)],
    };
}
