using System.Text.Json;
using ArbBot.Engine.Hosting.Status;

namespace ArbBot.Engine.Hosting;

/// <summary>
/// The engine's status as one JSON object, written by the Redis mirror into the engine's
/// <c>status</c> key every second (docs/redis.md): venues, strategies, execution, positions, for
/// the dashboard and <c>arbbot top</c> (other processes, reading Redis only). Money and prices are exact
/// decimal strings, as everywhere in the mirror. Serialized by System.Text.Json's source generator
/// (<see cref="StatusJsonContext"/>) from the document's shape (<see cref="StatusDocument"/>).
/// </summary>
public sealed class EngineStatusJson
{
    private readonly string _engineId;

    /// <summary>Creates the writer for an engine.</summary>
    public EngineStatusJson(string engineId)
    {
        _engineId = engineId;
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
            s.Positions.Select(p => new PositionPart(p.EventId, p.Yes.ToString(), p.No.ToString(), p.Matched.ToString(), p.Unhedged.ToString(), p.LockedIn.ToString(), p.UnhedgedCost.ToString())).ToList());
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
        x.Pnl.ToString(),
        x.Kill);

    /// <summary>Counts by name, in ordinal order (a stable object whatever order they were counted in).</summary>
    private static SortedDictionary<string, long> Counts(IReadOnlyDictionary<string, long> counts) => new(counts.ToDictionary(kv => kv.Key, kv => kv.Value), StringComparer.Ordinal);
}
