using System.Diagnostics.Metrics;

namespace ArbBot.Engine.Hosting.Observability;

/// <summary>
/// The engine's figures as System.Diagnostics.Metrics instruments (meter <c>ArbBot.Engine</c>), so
/// <c>dotnet-counters monitor --counters ArbBot.Engine</c> and the <c>/metrics</c> page read the
/// same thing. Observable instruments over the latest run summary: nothing is recorded on the hot
/// path. Dollar figures are exported as doubles for display only. Units follow OpenTelemetry's
/// (UCUM) so exporters name them alike: <c>us</c> becomes <c>_microseconds</c> in Prometheus; the
/// dollar gauges carry <c>usd</c> in their names.
/// </summary>
public sealed class EngineMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "ArbBot.Engine";

    private readonly Func<EngineSummary?> _latest;

    /// <summary>Creates the instruments over a source of summaries.</summary>
    public EngineMetrics(Func<EngineSummary?> latest)
    {
        _latest = latest;
        Meter = new Meter(MeterName);
        Meter.CreateObservableCounter("arbbot.book.updates", () => PerVenue(v => v.Deltas + v.Snapshots), description: "Book deltas and snapshots applied, per venue");
        Meter.CreateObservableCounter("arbbot.book.gaps", () => PerVenue(v => v.Gaps), description: "Sequence gaps, per venue");
        Meter.CreateObservableCounter("arbbot.book.drifts", () => PerVenue(v => v.Drifts), description: "Books found drifted from the venue's ticker, per venue");
        Meter.CreateObservableCounter("arbbot.trades", () => PerVenue(v => v.Trades), description: "Public trades received, per venue");
        Meter.CreateObservableGauge("arbbot.venue.connected", () => PerVenue(v => v.Status == "connected" ? 1 : 0), description: "1 while the venue's link is up");
        Meter.CreateObservableGauge("arbbot.books.stale", () => PerVenue(v => v.StaleBooks), description: "Books waiting for a snapshot, per venue");
        Meter.CreateObservableGauge("arbbot.latency.p50", () => One(s => s.LatencyP50Us), unit: "us", description: "Frame receipt to book applied, median of the last 4,096 updates");
        Meter.CreateObservableGauge("arbbot.latency.p99", () => One(s => s.LatencyP99Us), unit: "us", description: "Frame receipt to book applied, p99 of the last 4,096 updates");
        Meter.CreateObservableCounter("arbbot.kernel.events", () => One(s => s.EventsProcessed), description: "Kernel events handled");
        Meter.CreateObservableCounter("arbbot.kernel.backpressure_waits", () => One(s => s.BackPressureWaits), description: "Times a connector waited on a full kernel queue");
        Meter.CreateObservableGauge("arbbot.mirror.lag.p50", () => One(s => s.Mirror.LagP50Ms), unit: "ms", description: "Redis mirror lag, median");
        Meter.CreateObservableGauge("arbbot.mirror.lag.p99", () => One(s => s.Mirror.LagP99Ms), unit: "ms", description: "Redis mirror lag, p99");
        Meter.CreateObservableCounter("arbbot.opportunities", () => PerStrategy(st => st.Opportunities), description: "Distinct opportunities found, per strategy");
        Meter.CreateObservableCounter("arbbot.orders.sent", () => Trading(x => x.OrdersSent), description: "Orders sent");
        Meter.CreateObservableCounter("arbbot.orders.filled", () => Trading(x => x.OrdersFilled), description: "Orders filled in full");
        Meter.CreateObservableCounter("arbbot.fills", () => Trading(x => x.Fills), description: "Fills");
        Meter.CreateObservableCounter("arbbot.risk.rejections", Rejections, description: "Intents refused by risk checks, per reason");
        Meter.CreateObservableGauge("arbbot.exposure.unhedged.usd", () => Trading(x => x.UnhedgedExposure.Micros / 1e6), description: "Unhedged exposure now, dollars (display only)");
        Meter.CreateObservableGauge("arbbot.pnl.realised.usd", () => Trading(x => x.Realised.Micros / 1e6), description: "Realised P&L, dollars (display only)");
    }

    /// <summary>The meter (for a listener).</summary>
    public Meter Meter { get; }

    /// <inheritdoc/>
    public void Dispose() => Meter.Dispose();

    private IEnumerable<Measurement<T>> PerVenue<T>(Func<VenueSummary, T> read)
        where T : struct =>
        _latest()?.Venues.Select(v => new Measurement<T>(read(v), new KeyValuePair<string, object?>("venue", v.Name))) ?? [];

    private IEnumerable<Measurement<long>> PerStrategy(Func<StrategySummary, long> read) =>
        _latest()?.Strategies.Select(s => new Measurement<long>(read(s), new KeyValuePair<string, object?>("strategy", s.Name))) ?? [];

    private IEnumerable<Measurement<T>> One<T>(Func<EngineSummary, T> read)
        where T : struct =>
        _latest() is { } s ? [new Measurement<T>(read(s))] : [];

    private IEnumerable<Measurement<T>> Trading<T>(Func<Execution.ExecutionSummary, T> read)
        where T : struct =>
        _latest()?.Execution is { } x ? [new Measurement<T>(read(x))] : [];

    private IEnumerable<Measurement<long>> Rejections() =>
        _latest()?.Execution?.Rejections.Select(r => new Measurement<long>(r.Value, new KeyValuePair<string, object?>("reason", r.Key))) ?? [];
}
