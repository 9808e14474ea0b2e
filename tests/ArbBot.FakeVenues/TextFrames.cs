using System.Net.WebSockets;
using System.Text;

namespace ArbBot.FakeVenues;

/// <summary>The receiving half of a fake venue's WebSocket: each text frame to a handler until the client goes.</summary>
internal static class TextFrames
{
    /// <summary>Reads text frames (a frame split over several reads is put back together) until the socket closes or breaks, or <paramref name="stop"/> fires.</summary>
    public static async Task ReceiveAsync(WebSocket socket, Action<string> onText, CancellationToken stop)
    {
        var buffer = new byte[64 * 1024];
        var frame = new MemoryStream();
        try
        {
            while (socket.State == WebSocketState.Open && !stop.IsCancellationRequested)
            {
                WebSocketReceiveResult result = await socket.ReceiveAsync(buffer, stop);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                frame.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    onText(Encoding.UTF8.GetString(frame.GetBuffer(), 0, (int)frame.Length));
                    frame.SetLength(0);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // the client went away, or the server is stopping
        }
    }
}
