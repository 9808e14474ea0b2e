using System.Buffers;
using System.Text;
using System.Text.Json;
using ArbBot.Abstractions.Events;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Plugins;
using ArbBot.Engine.Kernel;

namespace ArbBot.Engine.Storage.Recording;

/// <summary>
/// Records a live session into a native recording (<c>arbbot record</c>): each venue's raw
/// messages through its plugin's <see cref="IFrameRecorder"/>, or, for plugins that do not record
/// frames, the decoded market data as it reaches the engine.
/// </summary>
public sealed class SessionRecorder : IDisposable
{
    private readonly NativeRecordingWriter _writer;

    // Held from recording a message (or event) until its events are in the kernel's queue, so the
    // file's order is the order the engine received them in, across every venue and connection.
    private readonly OrderGate _order = new();

    /// <summary>Creates (or replaces) the recording file.</summary>
    public SessionRecorder(string path)
    {
        _writer = new NativeRecordingWriter(path);
    }

    /// <summary>The file's full path.</summary>
    public string Path => _writer.Path;

    /// <summary>Records written so far.</summary>
    public long Records => _writer.Records;

    /// <summary>Bytes written so far.</summary>
    public long Bytes => _writer.Bytes;

    /// <summary>Adds a venue to the recording's venue table.</summary>
    public void DeclareVenue(int index, string name, string plugin, BookStyle? style, bool frames)
    {
        _writer.Append(RecordKind.Venue, index, 0, new RecordedVenue(index, name, plugin, style, frames).ToJson());
    }

    /// <summary>The frame recorder a venue's plugin writes to.</summary>
    public IFrameRecorder FramesOf(int venue) => new VenueFrames(_writer, venue, _order);

    /// <summary>
    /// A sink that records what a venue hands the engine, then passes it on to <paramref name="inner"/>:
    /// its decoded market data when <paramref name="marketData"/> (venues that do not record frames),
    /// and in any case the fees it announces per market (they come over REST, not in the frames).
    /// </summary>
    public IVenueEventSink EventsOf(int venue, IVenueEventSink inner, Func<MarketHandle, string?> marketId, bool marketData) =>
        new RecordingEventSink(_writer, venue, inner, marketId, marketData, _order);

    /// <summary>Flushes and closes the file.</summary>
    public void Dispose() => _writer.Dispose();

    /// <summary>A message's receipt time as the record's stamp (Unix ns), through the same conversion the kernel uses; now if the connector gave none.</summary>
    private static long? ReceivedAt(long receivedTimestamp) => receivedTimestamp > 0 ? ReceiptClock.UnixNanoseconds(receivedTimestamp) : null;

    /// <summary>A lock entered when a record is written and left when the disposable it returns is disposed (on the same thread).</summary>
    private sealed class OrderGate : IDisposable
    {
        public IDisposable Enter()
        {
            Monitor.Enter(this);
            return this;
        }

        public void Dispose() => Monitor.Exit(this);
    }

    private sealed class VenueFrames(NativeRecordingWriter writer, int venue, OrderGate order) : IFrameRecorder
    {
        public IDisposable Frame(int stream, ReadOnlySpan<byte> frame, long receivedTimestamp)
        {
            IDisposable held = order.Enter();
            try
            {
                writer.Append(RecordKind.Frame, venue, stream, frame, ReceivedAt(receivedTimestamp));
            }
            catch
            {
                held.Dispose();
                throw;
            }

            return held;
        }

        public void Mark(int stream, string what) => writer.Append(RecordKind.Mark, venue, stream, Encoding.UTF8.GetBytes(what));
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The JSON writer only wraps a managed buffer, reused for every event; there is nothing to release.")]
    private sealed class RecordingEventSink(NativeRecordingWriter writer, int venue, IVenueEventSink inner, Func<MarketHandle, string?> marketId, bool marketData, OrderGate order) : IVenueEventSink
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(1024);
        private Utf8JsonWriter? _json;

        public void OnBookSnapshot(BookSnapshot snapshot)
        {
            using IDisposable held = order.Enter();
            if (marketData && marketId(snapshot.Market) is { } market)
            {
                Record(json => MarketEventJson.WriteBook(json, market, snapshot), ReceivedAt(snapshot.ReceivedTimestamp));
            }

            inner.OnBookSnapshot(snapshot);
        }

        public void OnBookDelta(in BookDelta delta)
        {
            using IDisposable held = order.Enter();
            if (marketData && marketId(delta.Market) is { } market)
            {
                Span<byte> record = stackalloc byte[MarketDeltaBinary.FixedLength + (market.Length * 3)];
                int utf8 = Encoding.UTF8.GetBytes(market, record[MarketDeltaBinary.FixedLength..]);
                int length = MarketDeltaBinary.Write(record, record.Slice(MarketDeltaBinary.FixedLength, utf8), delta);
                writer.Append(RecordKind.Delta, venue, 0, record[..length], ReceivedAt(delta.ReceivedTimestamp));
            }

            inner.OnBookDelta(delta);
        }

        public void OnBookInvalidated(MarketHandle market, string reason)
        {
            using IDisposable held = order.Enter();
            if (marketData && marketId(market) is { } id)
            {
                Record(json => MarketEventJson.WriteInvalidated(json, id, reason));
            }

            inner.OnBookInvalidated(market, reason);
        }

        public void OnVenueStatus(VenueStatus status, string detail)
        {
            using IDisposable held = order.Enter();
            if (marketData)
            {
                Record(json => MarketEventJson.WriteStatus(json, status, detail));
            }

            inner.OnVenueStatus(status, detail);
        }

        public void OnMarketFees(MarketHandle market, Abstractions.Fees.IFeeModel fees)
        {
            using IDisposable held = order.Enter();
            if (marketId(market) is { } id)
            {
                Record(json => MarketEventJson.WriteFees(json, id, fees));
            }

            inner.OnMarketFees(market, fees);
        }

        public void OnMarketResolved(MarketHandle market, Outcome winner, long venueTimestampMs)
        {
            using IDisposable held = order.Enter();
            if (marketData && marketId(market) is { } id)
            {
                Record(json => MarketEventJson.WriteResolved(json, id, winner, venueTimestampMs));
            }

            inner.OnMarketResolved(market, winner, venueTimestampMs);
        }

        public void OnTrade(in TradePrint trade) => inner.OnTrade(trade);

        public void OnTicker(TickerUpdate ticker) => inner.OnTicker(ticker);

        // Not recorded: venues that send tops record their frames, and replay decodes them again.
        public void OnVenueTop(MarketHandle market, Outcome outcome, Abstractions.FixedPoint.Price bestBid, Abstractions.FixedPoint.Price bestAsk) =>
            inner.OnVenueTop(market, outcome, bestBid, bestAsk);

        /// <summary>Writes one event (callers hold the order lock, which also guards the buffer).</summary>
        private void Record(Action<Utf8JsonWriter> write, long? timestampNs = null)
        {
            _buffer.ResetWrittenCount();
            if (_json is null)
            {
                _json = new Utf8JsonWriter(_buffer);
            }
            else
            {
                _json.Reset(_buffer);
            }

            write(_json);
            _json.Flush();
            if (_buffer.WrittenCount > 0)
            {
                writer.Append(RecordKind.Event, venue, 0, _buffer.WrittenSpan, timestampNs);
            }
        }
    }
}
