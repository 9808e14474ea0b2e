namespace ArbBot.Abstractions.Plugins;

/// <summary>
/// Where a connector hands every message it received, byte for byte, while the engine records a
/// session (<c>arbbot record</c>). Set on <see cref="VenueContext.Recorder"/> only then; null
/// otherwise, so connectors pay nothing when nobody records. Thread-safe; the recorder copies the
/// bytes, so call it right before decoding the message.
/// </summary>
public interface IFrameRecorder
{
    /// <summary>
    /// A message as received. <paramref name="stream"/> is the plugin's own number for where it
    /// came from (a WebSocket connection, a REST poll), handed back to its
    /// <see cref="IRecordedFrameDecoder"/> on replay. Decode the message and hand its events to
    /// <see cref="VenueContext.Books"/>, then dispose what this returns (<c>using</c>): until then
    /// other streams' messages wait, so the recording holds messages in exactly the order their
    /// events reached the engine, and a replay sees the books change in the same order.
    /// <paramref name="receivedTimestamp"/> is the <see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>
    /// the connector took on receipt and gives the message's events: the record is stamped with it,
    /// so replayed events carry the times the live engine decided on. Allocates nothing.
    /// </summary>
    IDisposable Frame(int stream, ReadOnlySpan<byte> frame, long receivedTimestamp);

    /// <summary>
    /// Something that happened to a stream without a message, which changes how later messages
    /// are read: for example "connected" (a new connection's subscriptions start afresh) or
    /// "disconnected" (the books of that connection became untrustworthy).
    /// </summary>
    void Mark(int stream, string what);
}
