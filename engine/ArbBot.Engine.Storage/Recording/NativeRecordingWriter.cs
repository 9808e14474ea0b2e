namespace ArbBot.Engine.Storage.Recording;

/// <summary>
/// Appends records to a native recording from any thread. Records gather in a buffer that goes to
/// the file in one write when it passes 64 KiB and at least every <see cref="FlushInterval"/>, so a
/// crash loses at most that much, and what is on disk always reads back up to its last whole record.
/// Timestamps never go backwards in the file: a record stamped earlier than the one before it (a
/// message received on one connection just before another's, but written after it) takes that
/// one's time, and so does the kernel (<see cref="Kernel.EngineKernel"/>), so both agree.
/// </summary>
public sealed class NativeRecordingWriter : IDisposable
{
    /// <summary>The longest records wait in memory.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(200);

    private const int ChunkBytes = 64 * 1024;
    private readonly object _gate = new();
    private readonly FileStream _file;
    private readonly Timer _flusher;
    private byte[] _buffer = new byte[ChunkBytes * 2];
    private int _filled;
    private long _lastTimestamp;
    private bool _disposed;

    /// <summary>Creates (or replaces) a recording at <paramref name="path"/>.</summary>
    public NativeRecordingWriter(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _file = Abstractions.Plugins.PrivateFiles.Create(Path, FileShare.Read);
        NativeRecording.WriteHeader(_buffer);
        _filled = NativeRecording.HeaderLength;
        _flusher = new Timer(_ => Flush(), null, FlushInterval, FlushInterval);
    }

    /// <summary>The file's full path.</summary>
    public string Path { get; }

    /// <summary>Records written so far.</summary>
    public long Records { get; private set; }

    /// <summary>Bytes written so far (including what is still buffered).</summary>
    public long Bytes { get; private set; } = NativeRecording.HeaderLength;

    /// <summary>Appends a record stamped now; returns its timestamp (Unix ns).</summary>
    public long Append(RecordKind kind, int venue, int stream, ReadOnlySpan<byte> payload) => Append(kind, venue, stream, payload, timestampNs: null);

    /// <summary>Appends a record with a given timestamp (Unix ns: a message's receipt, or a record of another recording being converted), or stamped now.</summary>
    public long Append(RecordKind kind, int venue, int stream, ReadOnlySpan<byte> payload, long? timestampNs)
    {
        int length = NativeRecording.RecordPrefixLength + NativeRecording.BodyFixedLength + payload.Length;
        if (length - NativeRecording.RecordPrefixLength > NativeRecording.MaxBodyLength)
        {
            throw new ArgumentException($"a {payload.Length}-byte record is larger than a recording takes ({NativeRecording.MaxBodyLength} bytes)", nameof(payload));
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            long ts = Math.Max(_lastTimestamp, timestampNs ?? Kernel.ReceiptClock.UnixNanosecondsNow());
            _lastTimestamp = ts;
            if (_filled + length > _buffer.Length)
            {
                WriteBuffered();
                if (length > _buffer.Length)
                {
                    _buffer = new byte[length];
                }
            }

            _filled += NativeRecording.WriteRecord(_buffer.AsSpan(_filled), kind, ts, venue, stream, payload);
            Records++;
            Bytes += length;
            if (_filled >= ChunkBytes)
            {
                WriteBuffered();
            }

            return ts;
        }
    }

    /// <summary>Writes what is buffered to the file.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                WriteBuffered();
            }
        }
    }

    /// <summary>Flushes and closes the file.</summary>
    public void Dispose()
    {
        _flusher.Dispose();
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            WriteBuffered();
            _disposed = true;
            _file.Dispose();
        }
    }

    private void WriteBuffered()
    {
        if (_filled > 0)
        {
            _file.Write(_buffer, 0, _filled);
            _file.Flush();
            _filled = 0;
        }
    }
}
