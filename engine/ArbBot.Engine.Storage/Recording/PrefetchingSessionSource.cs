using System.Runtime.ExceptionServices;

namespace ArbBot.Engine.Storage.Recording;

/// <summary>
/// Reads another source on its own thread, ahead of the replay: file reads and checksums run on
/// the second core while the kernel thread decodes and decides. Records come out in the same
/// order with the same bytes, so a replay's results do not change; a failure of the source (a bad
/// record) surfaces at the same record it would have without read-ahead. Batches of records are
/// reused, so a steady read allocates nothing.
/// </summary>
public sealed class PrefetchingSessionSource : ISessionSource
{
    private const int Batches = 4;
    private const int RecordsPerBatch = 4096;
    private const int BytesPerBatch = 1 << 20;

    private readonly ISessionSource _inner;
    private readonly RecordedVenue[] _venues;
    private readonly Batch[] _ring = new Batch[Batches];
    private readonly SemaphoreSlim _filled = new(0, Batches);
    private readonly SemaphoreSlim _free = new(Batches, Batches);
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _reader;
    private Batch? _current;
    private int _next; // ring index of the next batch to take
    private bool _ended;

    /// <summary>Starts reading <paramref name="inner"/> ahead. Dispose this before the inner source.</summary>
    public PrefetchingSessionSource(ISessionSource inner)
    {
        _inner = inner;
        _venues = [.. inner.Venues]; // the table as read at open; the reader thread may add to the inner list later
        for (int i = 0; i < Batches; i++)
        {
            _ring[i] = new Batch();
        }

        _reader = new Thread(ReadAhead) { IsBackground = true, Name = "arbbot-replay-read" };
        _reader.Start();
    }

    /// <inheritdoc/>
    public string Name => _inner.Name;

    /// <inheritdoc/>
    public IReadOnlyList<RecordedVenue> Venues => _venues;

    /// <inheritdoc/>
    public double Progress => _current?.Progress ?? 0;

    /// <inheritdoc/>
    public string? Warning => _ended ? _inner.Warning : null;

    /// <inheritdoc/>
    public string? Lost => _ended ? _inner.Lost : null;

    /// <inheritdoc/>
    public bool TryRead(out SessionRecord record)
    {
        while (true)
        {
            Batch? batch = _current;
            if (batch is not null && batch.Taken < batch.Count)
            {
                record = batch.Records[batch.Taken++];
                return true;
            }

            if (_ended)
            {
                record = default;
                return false;
            }

            if (batch is not null)
            {
                if (batch.Failure is { } failure)
                {
                    _ended = true;
                    failure.Throw();
                }

                if (batch.Last)
                {
                    _ended = true;
                    record = default;
                    return false;
                }

                _current = null;
                _free.Release();
            }

            _filled.Wait();
            _current = _ring[_next];
            _next = (_next + 1) % Batches;
        }
    }

    /// <inheritdoc/>
    public string Where(long location) => _inner.Where(location);

    /// <summary>Stops the reader thread (the inner source stays open: its owner disposes it).</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _reader.Join();
        _stop.Dispose();
        _filled.Dispose();
        _free.Dispose();
    }

    private void ReadAhead()
    {
        int index = 0;
        bool more = true;
        while (more)
        {
            try
            {
                _free.Wait(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            Batch batch = _ring[index];
            index = (index + 1) % Batches;
            batch.Reset();
            try
            {
                more = Fill(batch);
            }
            catch (Exception ex)
            {
                batch.Failure = ExceptionDispatchInfo.Capture(ex);
                more = false;
            }

            batch.Progress = _inner.Progress;
            batch.Last = !more;
            _filled.Release();
        }
    }

    /// <summary>Copies records into a batch until it is full; false when the source has ended.</summary>
    private bool Fill(Batch batch)
    {
        while (batch.Count < RecordsPerBatch && !_stop.IsCancellationRequested)
        {
            if (!_inner.TryRead(out SessionRecord record))
            {
                return false;
            }

            batch.Add(record);
            if (batch.Used > BytesPerBatch)
            {
                break;
            }
        }

        return true;
    }

    /// <summary>Records and a copy of their payloads (the inner source's buffer is reused on its next read).</summary>
    private sealed class Batch
    {
        private byte[] _bytes = new byte[BytesPerBatch];

        public SessionRecord[] Records { get; } = new SessionRecord[RecordsPerBatch];

        public int Count { get; private set; }

        public int Taken { get; set; }

        public int Used { get; private set; }

        public double Progress { get; set; }

        public bool Last { get; set; }

        public ExceptionDispatchInfo? Failure { get; set; }

        public void Reset()
        {
            Count = Taken = Used = 0;
            Last = false;
            Failure = null;
        }

        public void Add(in SessionRecord record)
        {
            int length = record.Payload.Length;
            if (Used + length > _bytes.Length)
            {
                // Records already copied keep pointing into the old array, which stays as it was.
                _bytes = new byte[Math.Max(_bytes.Length * 2, Used + length)];
            }

            record.Payload.Span.CopyTo(_bytes.AsSpan(Used));
            Records[Count++] = record with { Payload = _bytes.AsMemory(Used, length) };
            Used += length;
        }
    }
}
