namespace ArbBot.Venues.Kalshi.Streaming;

/// <summary>The stream numbers and marks this plugin records (<see cref="Abstractions.Plugins.IFrameRecorder"/>).</summary>
internal static class KalshiStreams
{
    /// <summary>Frames of the WebSocket session.</summary>
    public const int WebSocket = 0;

    /// <summary>Answers of <c>GET /markets/orderbooks</c> polled while the WebSocket is down.</summary>
    public const int RestBooks = 1;

    /// <summary>A WebSocket connection is up: subscriptions (and their sequence numbers) start afresh.</summary>
    public const string Connected = "connected";

    /// <summary>The WebSocket dropped: every book is stale until its next snapshot.</summary>
    public const string Disconnected = "disconnected";
}
