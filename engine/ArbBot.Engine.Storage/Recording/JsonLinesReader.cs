using System.Text;
using System.Text.Json;

namespace ArbBot.Engine.Storage.Recording;

/// <summary>
/// Reads the JSON Lines form (docs/recording.md): one event per line,
/// <c>{"ts": unix ms, "venue": name, "frame": {...}}</c> for a venue's own message,
/// <c>"book"</c>, <c>"delta"</c>, <c>"invalidated"</c>, <c>"fees"</c>, <c>"status"</c> for decoded market data,
/// <c>"mark"</c> for a stream event. Blank lines and lines starting with <c>#</c> or <c>//</c> are
/// skipped. Lines are put in timestamp order (stable, so equal timestamps keep file order).
/// A line that cannot be read stops the reading with its line number.
/// </summary>
public sealed class JsonLinesReader : ISessionSource
{
    private static readonly string[] EventKeys = ["book", "delta", "invalidated", "fees", "status", "resolved"];
    private readonly List<string> _skipped = new();
    private List<SessionRecord> _records = new();
    private readonly List<RecordedVenue> _venues = new();
    private int _next;

    /// <summary>
    /// Reads the whole file. Throws <see cref="RecordingFormatException"/> naming the line at fault,
    /// or with <paramref name="skipBadLines"/> skips such lines and lists them in <see cref="Warning"/>.
    /// </summary>
    public JsonLinesReader(string path, bool skipBadLines = false)
    {
        Name = Path.GetFileName(path);
        var venueIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var frames = new HashSet<int>();
        long lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            string trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith('#') || trimmed.StartsWith("//", StringComparison.Ordinal))
            {
                continue;
            }

            SessionRecord record;
            try
            {
                record = Parse(trimmed, lineNumber, venueIndex);
            }
            catch (RecordingFormatException ex) when (skipBadLines)
            {
                _skipped.Add(ex.Message);
                continue;
            }

            if (record.Kind == RecordKind.Frame)
            {
                frames.Add(record.Venue);
            }

            _records.Add(record);
        }

        foreach ((string name, int index) in venueIndex.OrderBy(v => v.Value))
        {
            _venues.Add(new RecordedVenue(index, name, "", null, frames.Contains(index)));
        }

        // Stable: List.Sort is not, so order by (ts, position in file).
        _records = _records.Select((r, i) => (r, i)).OrderBy(x => x.r.TimestampNs).ThenBy(x => x.i).Select(x => x.r).ToList();
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public IReadOnlyList<RecordedVenue> Venues => _venues;

    /// <inheritdoc/>
    public double Progress => _records.Count == 0 ? 1 : (double)_next / _records.Count;

    /// <inheritdoc/>
    public string? Warning => _skipped.Count == 0 ? null
        : $"{_skipped.Count} lines could not be read and were skipped: {string.Join("; ", _skipped.Take(5))}{(_skipped.Count > 5 ? "; ..." : "")}";

    /// <inheritdoc/>
    public string? Lost => null;

    /// <inheritdoc/>
    public bool TryRead(out SessionRecord record)
    {
        if (_next < _records.Count)
        {
            record = _records[_next++];
            return true;
        }

        record = default;
        return false;
    }

    /// <inheritdoc/>
    public string Where(long location) => $"{Name}:{location}";

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private SessionRecord Parse(string line, long lineNumber, Dictionary<string, int> venueIndex)
    {
        string where = $"{Name}:{lineNumber}";
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(line);
        }
        catch (JsonException ex)
        {
            throw new RecordingFormatException($"{where}: not JSON ({ex.Message})");
        }

        using (doc)
        {
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new RecordingFormatException($"{where}: each line is a JSON object");
            }

            if (!root.TryGetProperty("ts", out JsonElement ts) || ts.ValueKind != JsonValueKind.Number || !ts.TryGetDecimal(out decimal ms) || ms < 0)
            {
                throw new RecordingFormatException($"{where}: \"ts\" (Unix milliseconds, a number) is missing or not a number");
            }

            if (!root.TryGetProperty("venue", out JsonElement venue) || venue.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(venue.GetString()))
            {
                throw new RecordingFormatException($"{where}: \"venue\" (the venue's name in the config) is missing");
            }

            string venueName = venue.GetString()!;
            if (!venueIndex.TryGetValue(venueName, out int index))
            {
                index = venueIndex.Count;
                venueIndex[venueName] = index;
            }

            int stream = 0;
            if (root.TryGetProperty("stream", out JsonElement s) && (s.ValueKind != JsonValueKind.Number || !s.TryGetInt32(out stream)))
            {
                throw new RecordingFormatException($"{where}: \"stream\" must be an integer");
            }

            long timestampNs = (long)(ms * 1_000_000m);
            if (root.TryGetProperty("frame", out JsonElement frame))
            {
                byte[] bytes = frame.ValueKind == JsonValueKind.String
                    ? Encoding.UTF8.GetBytes(frame.GetString()!)
                    : Encoding.UTF8.GetBytes(frame.GetRawText());
                return new SessionRecord(RecordKind.Frame, timestampNs, index, stream, bytes, lineNumber);
            }

            if (root.TryGetProperty("mark", out JsonElement mark))
            {
                if (mark.ValueKind != JsonValueKind.String)
                {
                    throw new RecordingFormatException($"{where}: \"mark\" must be a word such as \"connected\"");
                }

                return new SessionRecord(RecordKind.Mark, timestampNs, index, stream, Encoding.UTF8.GetBytes(mark.GetString()!), lineNumber);
            }

            foreach (string key in EventKeys)
            {
                if (root.TryGetProperty(key, out JsonElement body))
                {
                    byte[] payload = MarketEventJson.ToBytes(json =>
                    {
                        json.WriteStartObject();
                        json.WritePropertyName(key);
                        body.WriteTo(json);
                        json.WriteEndObject();
                    });
                    return new SessionRecord(RecordKind.Event, timestampNs, index, stream, payload, lineNumber);
                }
            }

            throw new RecordingFormatException($"{where}: a line needs one of \"frame\", \"book\", \"delta\", \"invalidated\", \"fees\", \"status\", \"resolved\" or \"mark\"");
        }
    }
}
