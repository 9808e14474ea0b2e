using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Plugins;
using ArbBot.Venues.Polymarket.Config;
using ArbBot.Venues.Polymarket.Parsing;
using ArbBot.Venues.Polymarket.Streaming;

namespace ArbBot.Venues.Polymarket.Replay;

/// <summary>
/// Replays recorded market channel messages through the live parser (<see cref="PolymarketFeed"/>),
/// one parser per connection as live (<see cref="MarketChannelStreams"/>): socket frames, REST book
/// answers, and the connection marks that make a connection's books stale.
/// </summary>
internal sealed class PolymarketFrameDecoder(VenueContext context) : IRecordedFrameDecoder
{
    private readonly PolymarketSettings _settings = PolymarketSettings.Parse(context.Settings);
    private readonly List<(PolymarketFeed Feed, List<(MarketHandle Market, string Yes, string No)> Markets)> _connections = new();

    public BookStyle BookStyle => BookStyle.TwoSided;

    public void Subscribe(IReadOnlyList<MarketSubscription> markets)
    {
        var tokens = new List<(MarketHandle, string, string)>();
        foreach (MarketSubscription m in markets)
        {
            if (string.IsNullOrEmpty(m.YesId) || string.IsNullOrEmpty(m.NoId))
            {
                throw new InvalidOperationException($"Polymarket market {m.MarketId} needs its two outcome token ids in the pair leg: {{ market: {m.MarketId}, yes: <token id>, no: <token id> }}");
            }

            tokens.Add((m.Handle, m.YesId, m.NoId));
        }

        foreach (List<(MarketHandle Market, string Yes, string No)> chunk in MarketChannelStreams.Split(tokens, _settings))
        {
            var feed = new PolymarketFeed(context.Books);
            foreach ((MarketHandle market, string yes, string no) in chunk)
            {
                feed.AddMarket(market, yes, no);
            }

            _connections.Add((feed, chunk));
        }
    }

    public string? Decode(int stream, ReadOnlySpan<byte> frame, long receivedTimestamp)
    {
        int connection = MarketChannelStreams.ConnectionOf(stream);
        if ((uint)connection >= (uint)_connections.Count)
        {
            return $"stream {stream} belongs to market channel connection {connection}, but these pairs make {_connections.Count} (recorded with other pairs or another max_assets_per_connection?)";
        }

        PolymarketFeed feed = _connections[connection].Feed;
        FrameKind kind = MarketChannelStreams.IsRest(stream)
            ? feed.HandleRestBooks(frame, receivedTimestamp, out string? problem)
            : feed.Handle(frame, receivedTimestamp, out problem);
        return kind == FrameKind.Malformed ? problem : null;
    }

    public void Mark(int stream, string what)
    {
        int connection = MarketChannelStreams.ConnectionOf(stream);
        if (what == MarketChannelStreams.Disconnected && (uint)connection < (uint)_connections.Count)
        {
            foreach ((MarketHandle market, _, _) in _connections[connection].Markets)
            {
                context.Books.OnBookInvalidated(market, "connection lost");
            }
        }
    }
}
