using System.Net.WebSockets;
using ArbBot.Venues.Toolkit.Streaming;

namespace ArbBot.Venues.Polymarket.Streaming;

/// <summary>What the market and user channels do alike with an open socket: keep it pinged, and read whole messages (the toolkit's receive loop) until it fails.</summary>
internal static class SocketLoop
{
    /// <summary>Pings every <paramref name="interval"/> while it receives; returns (or throws) when receiving ends, the pings stopped with it.</summary>
    public static async Task ServeAsync(ClientWebSocket socket, TimeSpan interval, Func<string, Task> send, MessageHandler onMessage, string closedWhy, CancellationToken stop)
    {
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(stop);
        Task pinging = PingAsync(interval, send, connection.Token);
        try
        {
            await WebSocketMessages.ReceiveAsync(socket, onMessage, connection.Token, closedWhy).ConfigureAwait(false);
        }
        finally
        {
            await connection.CancelAsync().ConfigureAwait(false);
            await pinging.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private static async Task PingAsync(TimeSpan interval, Func<string, Task> send, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            await send("PING").ConfigureAwait(false);
        }
    }
}
