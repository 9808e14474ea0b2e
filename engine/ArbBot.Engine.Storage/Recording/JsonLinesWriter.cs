using System.Text.Json;

namespace ArbBot.Engine.Storage.Recording;

/// <summary>Writes records as JSON Lines (the form <see cref="JsonLinesReader"/> reads).</summary>
public sealed class JsonLinesWriter : IDisposable
{
    private readonly Stream _file;
    private readonly Utf8JsonWriter _json;

    /// <summary>Creates (or replaces) a JSON Lines file.</summary>
    public JsonLinesWriter(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _file = new BufferedStream(Abstractions.Plugins.PrivateFiles.Create(path), 1 << 16);
        _json = new Utf8JsonWriter(_file, new JsonWriterOptions { SkipValidation = false });
    }

    /// <summary>Lines written.</summary>
    public long Lines { get; private set; }

    /// <summary>Writes one record of a venue named <paramref name="venue"/>. Throws <see cref="RecordingFormatException"/> for a frame that is not JSON.</summary>
    public void Write(SessionRecord record, string venue, string where)
    {
        if (record.Kind == RecordKind.Venue)
        {
            return; // the JSON Lines form has no venue table: lines name their venue
        }

        _json.Reset();
        _json.WriteStartObject();
        decimal ms = record.TimestampNs / 1_000_000m;
        _json.WriteNumber("ts", ms);
        _json.WriteString("venue", venue);
        if (record.Stream != 0)
        {
            _json.WriteNumber("stream", record.Stream);
        }

        switch (record.Kind)
        {
            case RecordKind.Frame:
                _json.WritePropertyName("frame");
                try
                {
                    using JsonDocument frame = JsonDocument.Parse(record.Payload);
                    frame.RootElement.WriteTo(_json);
                }
                catch (JsonException)
                {
                    // Not JSON (a binary or text protocol): kept as a string, which the reader takes back byte for byte.
                    _json.WriteStringValue(System.Text.Encoding.UTF8.GetString(record.Payload.Span));
                }

                break;
            case RecordKind.Mark:
                _json.WriteString("mark", record.Payload.Span);
                break;
            case RecordKind.Event:
            case RecordKind.Delta:
                try
                {
                    using JsonDocument ev = JsonDocument.Parse(record.Kind == RecordKind.Delta ? MarketDeltaBinary.ToJson(record.Payload.Span) : record.Payload);
                    foreach (JsonProperty property in ev.RootElement.EnumerateObject())
                    {
                        property.WriteTo(_json);
                    }
                }
                catch (JsonException ex)
                {
                    throw new RecordingFormatException($"{where}: an event record that is not JSON ({ex.Message})");
                }

                break;
        }

        _json.WriteEndObject();
        _json.Flush();
        _file.WriteByte((byte)'\n');
        Lines++;
    }

    /// <summary>Flushes and closes the file.</summary>
    public void Dispose()
    {
        _json.Dispose();
        _file.Dispose();
    }
}
