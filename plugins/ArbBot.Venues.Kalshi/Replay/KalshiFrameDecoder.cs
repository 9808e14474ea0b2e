using System.Text.Json;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Plugins;
using ArbBot.Venues.Kalshi.Parsing;
using ArbBot.Venues.Kalshi.Streaming;

namespace ArbBot.Venues.Kalshi.Replay;

/// <summary>
/// Replays recorded Kalshi messages through the live parser (<see cref="KalshiFeed"/>): WebSocket
/// frames, REST book polls, and the connection marks that reset sequence tracking or make books
/// stale, exactly as <see cref="KalshiSession"/> does live. Fills of the recorded account are
/// ignored: on replay the engine's paper executor fills.
/// </summary>
internal sealed class KalshiFrameDecoder(VenueContext context) : IRecordedFrameDecoder
{
    private readonly KalshiFeed _feed = new(context.Books);

    public BookStyle BookStyle => BookStyle.BidsOnly;

    public void Subscribe(IReadOnlyList<MarketSubscription> markets)
    {
        foreach (MarketSubscription market in markets)
        {
            _feed.AddMarket(market.MarketId, market.Handle);
        }
    }

    public string? Decode(int stream, ReadOnlySpan<byte> frame, long receivedTimestamp)
    {
        if (stream == KalshiStreams.RestBooks)
        {
            try
            {
                using var doc = JsonDocument.Parse(frame.ToArray());
                string? skipped = null;
                KalshiRestBook.ApplyBatch(doc.RootElement, _feed.Markets, receivedTimestamp, context.Books, problem => skipped ??= problem);
                return skipped;
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                return "REST order books answer unreadable: " + ex.Message;
            }
        }

        return _feed.Handle(frame, receivedTimestamp, out FrameInfo info) == FrameKind.Malformed ? info.Text : null;
    }

    public void Mark(int stream, string what)
    {
        switch (what)
        {
            case KalshiStreams.Connected:
                _feed.Reset();
                break;
            case KalshiStreams.Disconnected:
                foreach (MarketHandle market in _feed.Markets.Values)
                {
                    context.Books.OnBookInvalidated(market, "connection lost");
                }

                break;
        }
    }
}
