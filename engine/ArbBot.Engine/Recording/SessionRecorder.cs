using System.Buffers;
using System.Text;
using System.Text.Json;
using ArbBot.Abstractions.Events;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Plugins;

namespace ArbBot.Engine.Recording;

/// <summary>
/// Records a live session into a native recording (<c>arbbot record</c>): each venue's raw
/// messages through its plugin's <see cref="IFrameRecorder"/>, or, for plugins that do not record
/// frames, the decoded market data as it reaches the engine.
/// </summary>
public sealed class SessionRecorder : IDisposable
{
    private readonly NativeRecordingWriter _writer;

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
    public IFrameRecorder FramesOf(int venue) => new VenueFrames(_writer, venue);

    /// <summary>A sink that records a venue's decoded market data, then passes it on to <paramref name="inner"/>.</summary>
    public IVenueEventSink EventsOf(int venue, IVenueEventSink inner, Func<MarketHandle, string?> marketId) =>
        new RecordingEventSink(_writer, venue, inner, marketId);

    /// <summary>Flushes and closes the file.</summary>
    public void Dispose() => _writer.Dispose();

    private sealed class VenueFrames(NativeRecordingWriter writer, int venue) : IFrameRecorder
    {
        public void Frame(int stream, ReadOnlySpan<byte> frame) => writer.Append(RecordKind.Frame, venue, stream, frame);

        public void Mark(int stream, string what) => writer.Append(RecordKind.Mark, venue, stream, Encoding.UTF8.GetBytes(what));
    }

    private sealed class RecordingEventSink(NativeRecordingWriter writer, int venue, IVenueEventSink inner, Func<MarketHandle, string?> marketId) : IVenueEventSink
    {
        private readonly object _gate = new();
        private readonly ArrayBufferWriter<byte> _buffer = new(1024);
        private Utf8JsonWriter? _json;

        public void OnBookSnapshot(BookSnapshot snapshot)
        {
            if (marketId(snapshot.Market) is { } market)
            {
                Record(json => MarketEventJson.WriteBook(json, market, snapshot));
            }

            inner.OnBookSnapshot(snapshot);
        }

        public void OnBookDelta(in BookDelta delta)
        {
            if (marketId(delta.Market) is { } market)
            {
                Span<byte> record = stackalloc byte[MarketDeltaBinary.FixedLength + (market.Length * 3)];
                int utf8 = Encoding.UTF8.GetBytes(market, record[MarketDeltaBinary.FixedLength..]);
                int length = MarketDeltaBinary.Write(record, record.Slice(MarketDeltaBinary.FixedLength, utf8), delta);
                writer.Append(RecordKind.Delta, venue, 0, record[..length]);
            }

            inner.OnBookDelta(delta);
        }

        public void OnBookInvalidated(MarketHandle market, string reason)
        {
            if (marketId(market) is { } id)
            {
                Record(json => MarketEventJson.WriteInvalidated(json, id, reason));
            }

            inner.OnBookInvalidated(market, reason);
        }

        public void OnVenueStatus(VenueStatus status, string detail)
        {
            Record(json => MarketEventJson.WriteStatus(json, status, detail));
            inner.OnVenueStatus(status, detail);
        }

        public void OnMarketFees(MarketHandle market, Abstractions.Fees.IFeeModel fees) => inner.OnMarketFees(market, fees);

        public void OnTrade(in TradePrint trade) => inner.OnTrade(trade);

        public void OnTicker(TickerUpdate ticker) => inner.OnTicker(ticker);

        private void Record(Action<Utf8JsonWriter> write)
        {
            lock (_gate)
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
                writer.Append(RecordKind.Event, venue, 0, _buffer.WrittenSpan);
            }
        }
    }
}
