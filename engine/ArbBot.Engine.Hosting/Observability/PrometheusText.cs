using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace ArbBot.Engine.Hosting.Observability;

/// <summary>
/// Renders a meter's observable instruments in the Prometheus text format (version 0.0.4):
/// names with dots as underscores, counters suffixed <c>_total</c>, tags as labels.
/// </summary>
public sealed class PrometheusText : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly object _gate = new();
    private readonly List<(Instrument Instrument, double Value, KeyValuePair<string, object?>[] Tags)> _collected = new();

    /// <summary>Listens to every instrument of <paramref name="meter"/>.</summary>
    public PrometheusText(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter == meter)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => _collected.Add((i, v, tags.ToArray())));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => _collected.Add((i, v, tags.ToArray())));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => _collected.Add((i, v, tags.ToArray())));
        _listener.Start();
    }

    /// <summary>Observes every instrument now and writes the page.</summary>
    public string Render()
    {
        lock (_gate)
        {
            _collected.Clear();
            _listener.RecordObservableInstruments();
            var page = new StringBuilder();
            foreach (IGrouping<Instrument, (Instrument Instrument, double Value, KeyValuePair<string, object?>[] Tags)> group in _collected.GroupBy(c => c.Instrument))
            {
                Instrument instrument = group.Key;
                bool counter = instrument.GetType().Name.StartsWith("ObservableCounter", StringComparison.Ordinal);
                string name = instrument.Name.Replace('.', '_') + (instrument.Unit is { Length: > 0 } unit ? "_" + unit.ToLowerInvariant() : "") + (counter ? "_total" : "");
                page.Append("# HELP ").Append(name).Append(' ').Append(instrument.Description).Append('\n');
                page.Append("# TYPE ").Append(name).Append(counter ? " counter\n" : " gauge\n");
                foreach ((_, double value, KeyValuePair<string, object?>[] tags) in group)
                {
                    page.Append(name);
                    if (tags.Length > 0)
                    {
                        page.Append('{').AppendJoin(',', tags.Select(t => $"{t.Key}=\"{Escape(t.Value?.ToString() ?? "")}\"")).Append('}');
                    }

                    page.Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
                }
            }

            return page.ToString();
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _listener.Dispose();

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
