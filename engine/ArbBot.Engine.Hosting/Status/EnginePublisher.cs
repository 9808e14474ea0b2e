using System.Globalization;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Execution;
using ArbBot.Engine.Mirror;

namespace ArbBot.Engine.Hosting.Status;

/// <summary>
/// What the engine publishes through the Redis mirror each second (docs/redis.md, "Engine keys"):
/// the heartbeat's scalar fields (readable with <c>redis-cli HGETALL</c>), the status JSON for
/// programs, and the layout (pairs and each venue's fee model), built once because it does not
/// change while this engine runs: the mirror writes it again only after a reconnect.
/// </summary>
public sealed class EnginePublisher
{
    private readonly EngineStatusJson _json;

    /// <summary>Creates the publisher for a config whose pairs the engine registered, in <paramref name="events"/> order.</summary>
    public EnginePublisher(ArbBotConfig config, IReadOnlyList<string> events)
    {
        _json = new EngineStatusJson(config.Engine.Id);
        var pairs = events.Select(e => config.Pairs.First(p => p.EventId == e))
            .Select(p => KeyValuePair.Create(p.EventId, EngineLayout.FormatLegs(p.Legs.Select(l => (l.Venue, l.Market)))))
            .ToList();
        var fees = config.Venues.Select(v => KeyValuePair.Create(v.Name, (IReadOnlyList<KeyValuePair<string, string>>)
        [
            KeyValuePair.Create("model", v.FeeSpec.Model),
            KeyValuePair.Create("multiplier", v.FeeSpec.Multiplier.ToString()),
            KeyValuePair.Create("maker_fees", v.FeeSpec.MakerFees ? "1" : "0"),
            KeyValuePair.Create("rate", v.FeeSpec.Rate.ToString()),
        ])).ToList();
        Layout = new EngineLayout(pairs, fees);
    }

    /// <summary>The pairs and fee models.</summary>
    public EngineLayout Layout { get; }

    /// <summary>Everything published for one summary (called by the mirror's writer thread only).</summary>
    public EnginePublication Publish(EngineSummary summary) => new(Fields(summary), _json.Write(summary), Layout);

    /// <summary>
    /// The heartbeat's fields from a summary: one plain value each (counts, exact money strings, and
    /// latencies rounded for display); lists and counts by name stay in the status JSON.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Fields(EngineSummary s)
    {
        var fields = new List<KeyValuePair<string, string>>(32)
        {
            Field("elapsed_s", s.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)),
            Field("latency_p50_us", s.LatencyP50Us.ToString("0.0", CultureInfo.InvariantCulture)),
            Field("latency_p99_us", s.LatencyP99Us.ToString("0.0", CultureInfo.InvariantCulture)),
            Field("pairs", Count(s.Events)),
            Field("gross_edges_open", Count(s.PairsWithGrossEdge)),
            Field("books_stale", Count(s.StaleBooks)),
            Field("venues", Count(s.Venues.Count)),
            Field("venues_connected", Count(s.Venues.Count(v => v.Status == "connected"))),
            Field("strategies_running", Count(s.Strategies.Count(st => st.Status == "running"))),
            Field("strategy_errors", Count(s.Strategies.Sum(st => st.Errors))),
        };
        if (s.Execution is { } x)
        {
            fields.AddRange(
            [
                Field("mode", x.Mode),
                Field("kill", x.Kill),
                Field("attempts", Count(x.Attempts)),
                Field("orders", Count(x.OrdersSent)),
                Field("orders_filled", Count(x.OrdersFilled)),
                Field("fills", Count(x.Fills)),
                Field("working_orders", Count(x.WorkingOrders)),
                Field("rejections", Count(x.Rejections.Values.Sum())),
                Field("legged_open", Count(x.LeggedOpen)),
                Field("legged_cost", x.LeggedLoss.ToString()),
                Field("realised", x.Realised.ToString()),
                Field("locked_in", x.LockedIn.ToString()),
                Field("unhedged", x.UnhedgedExposure.ToString()),
                Field("unhedged_mark_to_market", x.UnhedgedMarkToMarket.ToString()),
                Field("max_unhedged", x.MaxUnhedgedSeen.ToString()),
                Field("pnl", x.Pnl.ToString()),
            ]);
        }

        if (s.Ownership is { } ownership)
        {
            fields.AddRange([Field("role", ownership.Role), Field("pairs_owned", Count(ownership.Owned.Count)), Field("pairs_share", Count(ownership.Share))]);
        }

        if (s.SharedBudget is { } budget)
        {
            fields.AddRange([Field("budget", budget.Name), Field("budget_mode", budget.Mode), Field("budget_granted", budget.Granted.ToString()), Field("budget_total", budget.Total.ToString())]);
        }

        return fields;
    }

    private static KeyValuePair<string, string> Field(string name, string value) => KeyValuePair.Create(name, value);

    private static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);
}
