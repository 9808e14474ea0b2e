using System.Net.WebSockets;

namespace ArbBot.Venues.Polymarket.Streaming;

/// <summary>A whole message as it left the socket's receive buffer.</summary>
internal delegate void MessageHandler(ReadOnlySpan<byte> message);

/// <summary>What the market and user channels do alike with an open socket: keep it pinged, and read whole messages until it fails.</summary>
internal static class SocketLoop
{
    /// <summary>Pings every <paramref name="interval"/> while it receives; returns (or throws) when receiving ends, the pings stopped with it.</summary>
    public static async Task ServeAsync(ClientWebSocket socket, TimeSpan interval, Func<string, Task> send, MessageHandler onMessage, string closedWhy, CancellationToken stop)
    {
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(stop);
        Task pinging = PingAsync(interval, send, connection.Token);
        try
        {
            await ReceiveAsync(socket, onMessage, closedWhy, connection.Token).ConfigureAwait(false);
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

    /// <summary>Whole messages, in a buffer that grows for a large one (an initial dump) and is reused: nothing allocated per message.</summary>
    private static async Task ReceiveAsync(ClientWebSocket socket, MessageHandler onMessage, string closedWhy, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[64 * 1024];
        int filled = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (filled == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            ValueWebSocketReceiveResult result = await socket.ReceiveAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new WebSocketException($"the server closed the connection ({socket.CloseStatus} {socket.CloseStatusDescription}){closedWhy}");
            }

            filled += result.Count;
            if (!result.EndOfMessage)
            {
                continue;
            }

            onMessage(buffer.AsSpan(0, filled));
            filled = 0;
        }
    }
}
