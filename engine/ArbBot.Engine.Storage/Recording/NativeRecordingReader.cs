using System.Buffers.Binary;
using System.Text.Json;
using ArbBot.Abstractions.Markets;

namespace ArbBot.Engine.Storage.Recording;

/// <summary>
/// Reads a native recording front to back without allocating per record. A file that ends inside
/// a record (a crash while writing) reads up to the last whole record and says so in
/// <see cref="Warning"/>. A damaged record with more of the file after it (a bad checksum, an
/// impossible length) either stops the reading, saying in <see cref="Lost"/> what was not read, or,
/// when told to skip damage, is stepped over: the reader looks for the next place a whole record
/// with a good checksum starts and goes on from there, listing every skipped range in <see cref="Warning"/>.
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
    private readonly bool _skipDamaged;
    private readonly List<string> _skipped = new();
    private string? _torn;

    /// <summary>Opens a recording and reads its venue table. Throws <see cref="RecordingFormatException"/> for a file that is not one.</summary>
    public NativeRecordingReader(string path, bool skipDamaged = false)
    {
        _skipDamaged = skipDamaged;
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
    public string? Warning => _skipped.Count == 0 ? _torn
        : $"{_skipped.Count} damaged stretches skipped ({string.Join("; ", _skipped.Take(5))}{(_skipped.Count > 5 ? "; ..." : "")}){(_torn is null ? "" : "; " + _torn)}";

    /// <inheritdoc/>
    public string? Lost { get; private set; }

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
            return Damaged(start, $"a record of impossible length {length}", out record);
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
            return start + NativeRecording.RecordPrefixLength + length >= _length
                ? Torn(start, "has a last record whose checksum does not match (a torn write)")
                : Damaged(start, "a record whose checksum does not match", out record);
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
        _torn = $"{Name} {what} at byte {at} of {_length} (a crash while recording, or a copy cut short): read the {RecordsRead + (_pending is null ? 0 : 1):N0} whole records before it";
        return false;
    }

    /// <summary>A damaged record with more file after it: stop and say what is lost, or find the next good record and go on.</summary>
    private bool Damaged(long at, string what, out SessionRecord record)
    {
        record = default;
        if (!_skipDamaged)
        {
            _ended = true;
            Lost = $"{Name}: {what} at byte {at} of {_length}; the {RecordsRead + (_pending is null ? 0 : 1):N0} records before it were read, the {_length - at:N0} bytes from there were not (replay with --skip-damaged to resynchronise past it)";
            return false;
        }

        for (long candidate = at + 1; candidate + NativeRecording.RecordPrefixLength + NativeRecording.BodyFixedLength <= _length; candidate++)
        {
            if (WholeRecordAt(candidate))
            {
                _skipped.Add($"{candidate - at:N0} bytes at byte {at}: {what}");
                _stream.Seek(candidate, SeekOrigin.Begin);
                _position = candidate;
                return ReadRaw(out record);
            }
        }

        _skipped.Add($"{_length - at:N0} bytes at byte {at} to the end: {what}, and no whole record after it");
        _ended = true;
        return false;
    }

    /// <summary>Whether a whole record with a good checksum starts at a byte offset.</summary>
    private bool WholeRecordAt(long offset)
    {
        Span<byte> prefix = stackalloc byte[NativeRecording.RecordPrefixLength];
        _stream.Seek(offset, SeekOrigin.Begin);
        if (_stream.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false) < prefix.Length)
        {
            return false;
        }

        uint length = BinaryPrimitives.ReadUInt32LittleEndian(prefix);
        if (length < NativeRecording.BodyFixedLength || length > NativeRecording.MaxBodyLength || offset + NativeRecording.RecordPrefixLength + length > _length)
        {
            return false;
        }

        if (length > _body.Length)
        {
            _body = new byte[Math.Max(length, _body.Length * 2)];
        }

        Span<byte> body = _body.AsSpan(0, (int)length);
        return _stream.ReadAtLeast(body, body.Length, throwOnEndOfStream: false) == body.Length
            && body[0] <= (byte)RecordKind.Delta
            && Crc32C.Compute(body) == BinaryPrimitives.ReadUInt32LittleEndian(prefix[4..]);
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
