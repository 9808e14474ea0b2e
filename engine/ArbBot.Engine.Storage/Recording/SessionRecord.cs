namespace ArbBot.Engine.Storage.Recording;

/// <summary>
/// One record read from a recording. <see cref="Payload"/> may point into the reader's buffer:
/// it is valid until the next read.
/// </summary>
/// <param name="Kind">What it holds.</param>
/// <param name="TimestampNs">When it was received, Unix nanoseconds.</param>
/// <param name="Venue">The venue's index in the recording's venue table.</param>
/// <param name="Stream">The plugin's stream number (frames and marks).</param>
/// <param name="Payload">The frame's bytes, the mark's word, or the event's JSON.</param>
/// <param name="Location">Where it is: a byte offset (native) or a line number (JSON Lines); <see cref="ISessionSource.Where"/> spells it out.</param>
public readonly record struct SessionRecord(RecordKind Kind, long TimestampNs, int Venue, int Stream, ReadOnlyMemory<byte> Payload, long Location);
