using System.Net.WebSockets;

namespace ArbBot.Venues.Toolkit.Streaming;

/// <summary>A whole message as it left the socket's receive buffer (valid only during the call).</summary>
public delegate void MessageHandler(ReadOnlySpan<byte> message);

/// <summary>Reads whole WebSocket messages and hands each over, from one buffer reused for every message.</summary>
public static class WebSocketMessages
{
    private const int InitialBuffer = 64 * 1024;

    /// <summary>
    /// Reads until <paramref name="stop"/> is cancelled or the socket fails; the buffer grows for a
    /// large message (an initial dump) and is kept, so nothing is allocated per message. A close from
    /// the server throws a <see cref="WebSocketException"/> saying so, followed by <paramref name="closedWhy"/>.
    /// </summary>
    public static async Task ReceiveAsync(WebSocket socket, MessageHandler onMessage, CancellationToken stop, string closedWhy = "")
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(onMessage);
        byte[] buffer = new byte[InitialBuffer];
        int filled = 0;
        while (!stop.IsCancellationRequested)
        {
            if (filled == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            ValueWebSocketReceiveResult result = await socket.ReceiveAsync(buffer.AsMemory(filled), stop).ConfigureAwait(false);
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
