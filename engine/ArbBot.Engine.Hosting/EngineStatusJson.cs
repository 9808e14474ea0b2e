using System.Text.Json;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Hosting.Status;

namespace ArbBot.Engine.Hosting;

/// <summary>
/// The engine's status as one JSON object, written by the Redis mirror into the heartbeat's
/// <c>status</c> field every second (docs/redis.md): venues, strategies, execution, positions,
/// and the pairs with each venue's fee model, so that the dashboard (another process, reading
/// Redis only) shows the same pairs and charges the same fees. Money and prices are exact
/// decimal strings, as everywhere in the mirror. Serialized by System.Text.Json's source generator
/// (<see cref="StatusJsonContext"/>) from the document's shape (<see cref="StatusDocument"/>).
/// </summary>
public sealed class EngineStatusJson
{
    private readonly string _engineId;
    private readonly IReadOnlyList<PairPart> _pairs;
    private readonly IReadOnlyDictionary<string, FeePart> _fees;

    /// <summary>Creates the writer for a config whose pairs the engine registered, in <paramref name="events"/> order.</summary>
    public EngineStatusJson(ArbBotConfig config, IReadOnlyList<string> events)
    {
        _engineId = config.Engine.Id;

        // Pairs and fees do not change while the engine runs: built once.
        _pairs = events.Select(e => config.Pairs.First(p => p.EventId == e))
            .Select(p => new PairPart(p.EventId, p.Legs.Select(l => new LegPart(l.Venue, l.Market)).ToList()))
            .ToList();
        var fees = new Dictionary<string, FeePart>(StringComparer.Ordinal);
        foreach (VenueConfig venue in config.Venues)
        {
            FeeSpec spec = venue.FeeSpec;
            fees[venue.Name] = new FeePart(spec.Model, spec.Multiplier.ToString(), spec.MakerFees, spec.Rate.ToString());
        }

        _fees = fees;
    }

    /// <summary>The status JSON for a summary (called by the mirror's writer thread only).</summary>
    public string Write(EngineSummary s)
    {
        var document = new StatusDocument(
            _engineId,
            Math.Round(s.Elapsed.TotalSeconds, 1),
            Math.Round(s.LatencyP50Us, 1),
            Math.Round(s.LatencyP99Us, 1),
            s.PairsWithGrossEdge,
            new MirrorPart(s.Mirror.State, Math.Round(s.Mirror.LagP50Ms, 3), Math.Round(s.Mirror.LagP99Ms, 3)),
            s.Venues.Select(v => new VenuePart(v.Name, v.Plugin, v.Status, v.Books, v.StaleBooks, Math.Round(v.UpdatesPerSecond, 1),
                v.LastUpdateAgeMs is { } age ? Math.Round(age) : null, v.Reconnects, v.Deltas, v.Snapshots, v.Gaps, v.Trades)).ToList(),
            s.Strategies.Select(st => new StrategyPart(st.Name, st.File, st.Version, st.Status, st.Calls, st.Errors, st.Reloads, st.Opportunities)).ToList(),
            s.Execution is { } x ? Execution(x) : null,
            s.Positions.Select(p => new PositionPart(p.EventId, p.Yes.ToString(), p.No.ToString(), p.Matched.ToString(), p.Unhedged.ToString(), p.LockedIn.ToString(), p.UnhedgedCost.ToString())).ToList(),
            _pairs,
            _fees);
        return JsonSerializer.Serialize(document, StatusJsonContext.Default.StatusDocument);
    }

    private static ExecutionPart Execution(Execution.ExecutionSummary x) => new(
        x.Mode,
        x.Attempts,
        Counts(x.AttemptsByStatus),
        x.OrdersSent,
        x.OrdersFilled,
        x.Fills,
        x.WorkingOrders,
        Counts(x.Rejections),
        x.LeggedOpen,
        Counts(x.LeggedByResolution.ToDictionary(kv => kv.Key, kv => (long)kv.Value)),
        x.LeggedLoss.ToString(),
        x.Realised.ToString(),
        x.LockedIn.ToString(),
        x.UnhedgedExposure.ToString(),
        x.UnhedgedMarkToMarket.ToString(),
        x.MaxUnhedgedSeen.ToString(),
        (x.Realised + x.LockedIn + x.UnhedgedMarkToMarket).ToString(),
        x.Kill);

    /// <summary>Counts by name, in ordinal order (a stable object whatever order they were counted in).</summary>
    private static SortedDictionary<string, long> Counts(IReadOnlyDictionary<string, long> counts) => new(counts.ToDictionary(kv => kv.Key, kv => kv.Value), StringComparer.Ordinal);
}
