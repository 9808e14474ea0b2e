using System.Buffers;
using System.Text;
using System.Text.Json;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Engine.Configuration;

namespace ArbBot.Engine.Hosting;

/// <summary>
/// The engine's status as one JSON object, written by the Redis mirror into the heartbeat's
/// <c>status</c> field every second (docs/redis.md): venues, strategies, execution, positions,
/// and the pairs with each venue's fee model, so that the dashboard (another process, reading
/// Redis only) shows the same pairs and charges the same fees. Money and prices are exact
/// decimal strings, as everywhere in the mirror.
/// </summary>
public sealed class EngineStatusJson
{
    private readonly ArbBotConfig _config;
    private readonly IReadOnlyList<string> _events;
    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);

    /// <summary>Creates the writer for a config whose pairs the engine registered, in <paramref name="events"/> order.</summary>
    public EngineStatusJson(ArbBotConfig config, IReadOnlyList<string> events)
    {
        _config = config;
        _events = events;
    }

    /// <summary>The status JSON for a summary (called by the mirror's writer thread only).</summary>
    public string Write(EngineSummary s)
    {
        _buffer.Clear();
        using (var w = new Utf8JsonWriter(_buffer))
        {
            w.WriteStartObject();
            w.WriteString("engine", _config.Engine.Id);
            w.WriteNumber("elapsed_s", Math.Round(s.Elapsed.TotalSeconds, 1));
            w.WriteNumber("latency_p50_us", Math.Round(s.LatencyP50Us, 1));
            w.WriteNumber("latency_p99_us", Math.Round(s.LatencyP99Us, 1));
            w.WriteNumber("gross_edges_open", s.PairsWithGrossEdge);
            w.WriteStartObject("mirror");
            w.WriteString("state", s.Mirror.State);
            w.WriteNumber("lag_p50_ms", Math.Round(s.Mirror.LagP50Ms, 3));
            w.WriteNumber("lag_p99_ms", Math.Round(s.Mirror.LagP99Ms, 3));
            w.WriteEndObject();

            w.WriteStartArray("venues");
            foreach (VenueSummary v in s.Venues)
            {
                w.WriteStartObject();
                w.WriteString("name", v.Name);
                w.WriteString("plugin", v.Plugin);
                w.WriteString("status", v.Status);
                w.WriteNumber("books", v.Books);
                w.WriteNumber("stale", v.StaleBooks);
                w.WriteNumber("updates_per_s", Math.Round(v.UpdatesPerSecond, 1));
                if (v.LastUpdateAgeMs is { } age)
                {
                    w.WriteNumber("last_update_age_ms", Math.Round(age));
                }
                else
                {
                    w.WriteNull("last_update_age_ms");
                }

                w.WriteNumber("reconnects", v.Reconnects);
                w.WriteNumber("deltas", v.Deltas);
                w.WriteNumber("snapshots", v.Snapshots);
                w.WriteNumber("gaps", v.Gaps);
                w.WriteNumber("trades", v.Trades);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("strategies");
            foreach (StrategySummary st in s.Strategies)
            {
                w.WriteStartObject();
                w.WriteString("name", st.Name);
                w.WriteString("file", st.File);
                w.WriteString("version", st.Version);
                w.WriteString("status", st.Status);
                w.WriteNumber("calls", st.Calls);
                w.WriteNumber("errors", st.Errors);
                w.WriteNumber("reloads", st.Reloads);
                w.WriteNumber("opportunities", st.Opportunities);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            if (s.Execution is { } x)
            {
                WriteExecution(w, x);
            }

            w.WriteStartArray("positions");
            foreach (PositionSummary p in s.Positions)
            {
                w.WriteStartObject();
                w.WriteString("event", p.EventId);
                w.WriteString("yes", p.Yes.ToString());
                w.WriteString("no", p.No.ToString());
                w.WriteString("matched", p.Matched.ToString());
                w.WriteString("unhedged", p.Unhedged.ToString());
                w.WriteString("locked_in", p.LockedIn.ToString());
                w.WriteString("unhedged_cost", p.UnhedgedCost.ToString());
                w.WriteEndObject();
            }

            w.WriteEndArray();
            WritePairs(w);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(_buffer.WrittenSpan);
    }

    private static void WriteExecution(Utf8JsonWriter w, Execution.ExecutionSummary x)
    {
        w.WriteStartObject("execution");
        w.WriteString("mode", x.Mode);
        w.WriteNumber("attempts", x.Attempts);
        Counts(w, "attempts_by_status", x.AttemptsByStatus.Select(kv => (kv.Key, kv.Value)));
        w.WriteNumber("orders", x.OrdersSent);
        w.WriteNumber("orders_filled", x.OrdersFilled);
        w.WriteNumber("fills", x.Fills);
        w.WriteNumber("working_orders", x.WorkingOrders);
        Counts(w, "rejections", x.Rejections.Select(kv => (kv.Key, kv.Value)));
        w.WriteNumber("legged_open", x.LeggedOpen);
        Counts(w, "legged_ended", x.LeggedByResolution.Select(kv => (kv.Key, (long)kv.Value)));
        w.WriteString("legged_cost", x.LeggedLoss.ToString());
        w.WriteString("realised", x.Realised.ToString());
        w.WriteString("locked_in", x.LockedIn.ToString());
        w.WriteString("unhedged", x.UnhedgedExposure.ToString());
        w.WriteString("unhedged_mark_to_market", x.UnhedgedMarkToMarket.ToString());
        w.WriteString("max_unhedged", x.MaxUnhedgedSeen.ToString());
        w.WriteString("pnl", (x.Realised + x.LockedIn + x.UnhedgedMarkToMarket).ToString());
        w.WriteString("kill", x.Kill);
        w.WriteEndObject();
    }

    private void WritePairs(Utf8JsonWriter w)
    {
        w.WriteStartArray("pairs");
        foreach (string eventId in _events)
        {
            PairConfig pair = _config.Pairs.First(p => p.EventId == eventId);
            w.WriteStartObject();
            w.WriteString("event", pair.EventId);
            w.WriteStartArray("legs");
            foreach (PairLegConfig leg in pair.Legs)
            {
                w.WriteStartObject();
                w.WriteString("venue", leg.Venue);
                w.WriteString("market", leg.Market);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartObject("fees");
        foreach (VenueConfig venue in _config.Venues)
        {
            FeeSpec fees = venue.FeeSpec;
            w.WriteStartObject(venue.Name);
            w.WriteString("model", fees.Model);
            w.WriteString("multiplier", fees.Multiplier.ToString());
            w.WriteBoolean("maker_fees", fees.MakerFees);
            w.WriteString("rate", fees.Rate.ToString());
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void Counts(Utf8JsonWriter w, string name, IEnumerable<(string Key, long Value)> counts)
    {
        w.WriteStartObject(name);
        foreach ((string key, long value) in counts.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            w.WriteNumber(key, value);
        }

        w.WriteEndObject();
    }
}
