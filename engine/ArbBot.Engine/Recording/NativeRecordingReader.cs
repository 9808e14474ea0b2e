using System.Buffers.Binary;
using System.Text.Json;
using ArbBot.Abstractions.Markets;

namespace ArbBot.Engine.Recording;

/// <summary>
/// Reads a native recording front to back without allocating per record. A file that ends inside
/// a record (a crash while writing) or with a record whose checksum fails reads up to the last
/// whole record and says so in <see cref="Warning"/>.
/// </summary>
public sealed class NativeRecordingReader : ISessionSource
{
    private readonly FileStream _file;
    private readonly BufferedStream _stream;
    private readonly List<RecordedVenue> _venues = new();
    private readonly long _length;
    private byte[] _body = new byte[64 * 1024];
    private long _position;
    private bool _ended;
    private SessionRecord? _pending;

    /// <summary>Opens a recording and reads its venue table. Throws <see cref="RecordingFormatException"/> for a file that is not one.</summary>
    public NativeRecordingReader(string path)
    {
        Name = Path.GetFileName(path);
        _file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
        _stream = new BufferedStream(_file, 1 << 20);
        _length = _file.Length;
        Span<byte> header = stackalloc byte[NativeRecording.HeaderLength];
        if (_stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length || !header[..6].SequenceEqual(NativeRecording.Magic))
        {
            Dispose();
            throw new RecordingFormatException($"{path}: not an ArbBot recording (it does not start with \"ARBREC\"); JSON Lines recordings end in .jsonl");
        }

        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(header[6..]);
        if (version != NativeRecording.Version)
        {
            Dispose();
            throw new RecordingFormatException($"{path}: recording format version {version}; this build reads version {NativeRecording.Version}");
        }

        _position = NativeRecording.HeaderLength;

        // The venue table comes first; keep the first other record for TryRead.
        while (ReadRaw(out SessionRecord record))
        {
            if (record.Kind != RecordKind.Venue)
            {
                _pending = record;
                break;
            }

            AddVenue(record);
        }
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public IReadOnlyList<RecordedVenue> Venues => _venues;

    /// <summary>Records (other than the venue table) read so far.</summary>
    public long RecordsRead { get; private set; }

    /// <inheritdoc/>
    public double Progress => _length == 0 ? 1 : (double)_position / _length;

    /// <inheritdoc/>
    public string? Warning { get; private set; }

    /// <inheritdoc/>
    public bool TryRead(out SessionRecord record)
    {
        if (_pending is { } pending)
        {
            _pending = null;
            record = pending;
            RecordsRead++;
            return true;
        }

        while (ReadRaw(out record))
        {
            if (record.Kind == RecordKind.Venue)
            {
                AddVenue(record);
                continue;
            }

            RecordsRead++;
            return true;
        }

        return false;
    }

    /// <inheritdoc/>
    public string Where(long location) => $"{Name} byte {location}";

    /// <inheritdoc/>
    public void Dispose()
    {
        _stream.Dispose();
        _file.Dispose();
    }

    private bool ReadRaw(out SessionRecord record)
    {
        record = default;
        if (_ended)
        {
            return false;
        }

        long start = _position;
        Span<byte> prefix = stackalloc byte[NativeRecording.RecordPrefixLength];
        int got = _stream.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false);
        if (got == 0)
        {
            _ended = true;
            return false;
        }

        if (got < prefix.Length)
        {
            return Torn(start, "ends inside a record");
        }

        uint length = BinaryPrimitives.ReadUInt32LittleEndian(prefix);
        uint crc = BinaryPrimitives.ReadUInt32LittleEndian(prefix[4..]);
        if (length < NativeRecording.BodyFixedLength || length > NativeRecording.MaxBodyLength)
        {
            return Torn(start, $"has a record of impossible length {length}");
        }

        if (length > _body.Length)
        {
            _body = new byte[Math.Max(length, _body.Length * 2)];
        }

        Span<byte> body = _body.AsSpan(0, (int)length);
        if (_stream.ReadAtLeast(body, body.Length, throwOnEndOfStream: false) < body.Length)
        {
            return Torn(start, "ends inside a record");
        }

        if (Crc32C.Compute(body) != crc)
        {
            return Torn(start, "has a record whose checksum does not match (a torn write)");
        }

        _position = start + NativeRecording.RecordPrefixLength + length;
        record = new SessionRecord(
            (RecordKind)body[0],
            BinaryPrimitives.ReadInt64LittleEndian(body[1..]),
            BinaryPrimitives.ReadUInt16LittleEndian(body[9..]),
            BinaryPrimitives.ReadInt32LittleEndian(body[11..]),
            _body.AsMemory(NativeRecording.BodyFixedLength, (int)length - NativeRecording.BodyFixedLength),
            start);
        return true;
    }

    private bool Torn(long at, string what)
    {
        _ended = true;
        Warning = $"{Name} {what} at byte {at} of {_length} (a crash while recording, or a copy cut short): read the {RecordsRead + (_pending is null ? 0 : 1):N0} whole records before it";
        return false;
    }

    private void AddVenue(SessionRecord record)
    {
        try
        {
            using JsonDocument doc = JsonDocument.Parse(record.Payload);
            JsonElement root = doc.RootElement;
            string? style = root.TryGetProperty("book_style", out JsonElement s) ? s.GetString() : null;
            int index = root.GetProperty("index").GetInt32();
            _venues.RemoveAll(v => v.Index == index); // declared again (the engine restarted its venues): the latest holds
            _venues.Add(new RecordedVenue(
                index,
                root.GetProperty("name").GetString() ?? throw new RecordingFormatException($"{Where(record.Location)}: venue without a name"),
                root.TryGetProperty("plugin", out JsonElement p) ? p.GetString() ?? "" : "",
                style switch
                {
                    "bids_only" => BookStyle.BidsOnly,
                    "two_sided" => BookStyle.TwoSided,
                    _ => null,
                },
                root.TryGetProperty("frames", out JsonElement f) && f.GetBoolean()));
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new RecordingFormatException($"{Where(record.Location)}: bad venue record: {ex.Message}");
        }
    }
}
