namespace ArbBot.Engine.Storage.Recording;

/// <summary>What one record of a session recording holds (docs/recording.md).</summary>
public enum RecordKind : byte
{
    /// <summary>Declares a venue: payload is JSON {"index","name","plugin","book_style","frames"}.</summary>
    Venue = 0,

    /// <summary>A message as the venue sent it, decoded on replay by the venue's plugin.</summary>
    Frame = 1,

    /// <summary>Something that happened to a stream without a message ("connected", "disconnected"); payload is the word.</summary>
    Mark = 2,

    /// <summary>Decoded market data (a book, a level change, an invalidation) as JSON, for venues that do not record frames.</summary>
    Event = 3,

    /// <summary>A level change in compact binary form (<see cref="MarketDeltaBinary"/>), for venues that do not record frames.</summary>
    Delta = 4,
}
