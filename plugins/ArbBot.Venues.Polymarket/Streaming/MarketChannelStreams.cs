using ArbBot.Abstractions.Markets;
using ArbBot.Venues.Polymarket.Config;

namespace ArbBot.Venues.Polymarket.Streaming;

/// <summary>
/// How markets are spread over market channel connections, and the stream numbers each records
/// (<see cref="Abstractions.Plugins.IFrameRecorder"/>): connection i's socket frames are stream 2i,
/// its REST book answers 2i+1. Replay splits the markets the same way, so each recorded stream
/// meets the parser state it had live.
/// </summary>
internal static class MarketChannelStreams
{
    /// <summary>A connection is up: its books come from the socket again.</summary>
    public const string Connected = "connected";

    /// <summary>A connection dropped: its books are stale until fresh ones arrive.</summary>
    public const string Disconnected = "disconnected";

    /// <summary>The markets of each connection, in order (as many per connection as the token cap allows).</summary>
    public static List<List<(MarketHandle Market, string Yes, string No)>> Split(IEnumerable<(MarketHandle Market, string Yes, string No)> markets, PolymarketSettings settings) =>
        markets.Chunk(Math.Max(1, settings.MaxAssetsPerConnection / 2)).Select(chunk => chunk.ToList()).ToList();

    /// <summary>The stream of connection <paramref name="connection"/>'s socket frames.</summary>
    public static int SocketOf(int connection) => connection * 2;

    /// <summary>The stream of connection <paramref name="connection"/>'s REST book answers.</summary>
    public static int RestOf(int connection) => (connection * 2) + 1;

    /// <summary>The connection a stream belongs to.</summary>
    public static int ConnectionOf(int stream) => stream / 2;

    /// <summary>Whether a stream carries REST book answers.</summary>
    public static bool IsRest(int stream) => stream % 2 == 1;
}
