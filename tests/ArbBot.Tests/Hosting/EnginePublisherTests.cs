using ArbBot.Engine.Configuration;
using ArbBot.Engine.Hosting;
using ArbBot.Engine.Hosting.Status;
using ArbBot.Engine.Mirror;

namespace ArbBot.Tests.Hosting;

/// <summary>
/// What the heartbeat publishes: scalar fields a person reads with HGETALL, and the layout (pairs
/// and fee models) the dashboard reads back into the same pairs and fees.
/// </summary>
public sealed class EnginePublisherTests
{
    private static readonly ArbBotConfig s_config = ConfigLoader.Parse("""
        engine:
          id: status-test
        venues:
          - name: k
            plugin: p
            fees: { model: kalshi, multiplier: "1.5", maker_fees: true }
          - name: poly
            plugin: p
            fees: { model: polymarket, rate: "0.04" }
        pairs:
          - event: E1
            legs: { k: K-E1, poly: { market: P-E1, yes: P-E1-Y, no: P-E1-N } }
          - event: "E&2"
            legs: { k: K-E2 }
        """, "arbbot.yaml");

    [Fact]
    public void Every_heartbeat_field_is_one_plain_value_and_money_is_exact()
    {
        EnginePublication publication = new EnginePublisher(s_config, ["E1", "E&2"]).Publish(EngineStatusJsonTests.Summary());
        var fields = publication.Fields.ToDictionary(f => f.Key, f => f.Value);
        Assert.Equal(publication.Fields.Count, fields.Count); // no field twice
        Assert.All(fields, f => Assert.Matches(@"^[A-Za-z0-9 .:_\-]*$", f.Value));
        Assert.Equal("12.3", fields["elapsed_s"]);
        Assert.Equal("2", fields["pairs"]);
        Assert.Equal("1", fields["venues_connected"]);
        Assert.Equal("0", fields["strategies_running"]);
        Assert.Equal("5", fields["rejections"]); // 3 + 2, the reasons stay in the status JSON
        Assert.Equal("-0.25", fields["legged_cost"]);
        Assert.Equal("3.400001", fields["pnl"]); // realised 1.5 + locked in 2.000001 + unhedged at the bid -0.1
        Assert.Equal(publication.StatusJson, new EngineStatusJson("status-test").Write(EngineStatusJsonTests.Summary()));
    }

    [Fact]
    public void Before_trading_the_heartbeat_has_no_execution_fields()
    {
        var fields = EnginePublisher.Fields(EngineStatusJsonTests.Summary() with { Execution = null }).Select(f => f.Key).ToList();
        Assert.Contains("latency_p99_us", fields);
        Assert.DoesNotContain("pnl", fields);
        Assert.DoesNotContain("kill", fields);
    }

    [Fact]
    public void Each_publication_hands_over_the_same_layout_so_the_mirror_writes_it_once()
    {
        var publisher = new EnginePublisher(s_config, ["E1", "E&2"]);
        Assert.Same(publisher.Publish(EngineStatusJsonTests.Summary()).Layout, publisher.Publish(EngineStatusJsonTests.Summary()).Layout);
    }

    [Fact]
    public void The_layout_reads_back_as_the_configured_legs_and_fee_models()
    {
        EngineLayout layout = new EnginePublisher(s_config, ["E&2", "E1"]).Layout;
        Assert.Equal(["E&2", "E1"], layout.Pairs.Select(p => p.Key));
        Assert.Equal("k:K-E1 poly:P-E1", layout.Pairs[1].Value);
        Assert.Equal([("k", "K-E1"), ("poly", "P-E1")], EngineLayout.ParseLegs(layout.Pairs[1].Value));
        var fees = layout.Fees.ToDictionary(f => f.Key, f => f.Value.ToDictionary(x => x.Key, x => x.Value));
        Assert.Equal(new Dictionary<string, string> { ["model"] = "kalshi", ["multiplier"] = "1.50", ["maker_fees"] = "1", ["rate"] = "0.00" }, fees["k"]);
        Assert.Equal(new Dictionary<string, string> { ["model"] = "polymarket", ["multiplier"] = "1.00", ["maker_fees"] = "0", ["rate"] = "0.04" }, fees["poly"]);
    }
}
