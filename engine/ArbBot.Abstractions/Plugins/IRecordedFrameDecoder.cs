using ArbBot.Abstractions.Markets;

namespace ArbBot.Abstractions.Plugins;

/// <summary>
/// Turns recorded venue messages back into market data during replay, through the same parser the
/// live connector uses, into <see cref="VenueContext.Books"/>. Created by
/// <see cref="IVenueSession.CreateFrameDecoder"/>; called from one thread only, in recorded order.
/// It sends nothing anywhere: replay is offline.
/// </summary>
public interface IRecordedFrameDecoder
{
    /// <summary>How this venue publishes books (as its connector's <see cref="IVenueConnector.BookStyle"/>).</summary>
    BookStyle BookStyle { get; }

    /// <summary>The markets being replayed; messages about other markets are ignored, as live.</summary>
    void Subscribe(IReadOnlyList<MarketSubscription> markets);

    /// <summary>
    /// One recorded message. <paramref name="receivedTimestamp"/> is the replay clock's
    /// timestamp (<see cref="TimeProvider.GetTimestamp"/> of <see cref="VenueContext.Clock"/>).
    /// Returns null when the message was used or deliberately ignored, or a short description of
    /// what is wrong with it (the replay reports it with the record's position and goes on).
    /// </summary>
    string? Decode(int stream, ReadOnlySpan<byte> frame, long receivedTimestamp);

    /// <summary>A recorded <see cref="IFrameRecorder.Mark"/>.</summary>
    void Mark(int stream, string what);
}
