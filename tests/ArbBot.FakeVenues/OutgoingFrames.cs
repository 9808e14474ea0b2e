using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;

namespace ArbBot.FakeVenues;

/// <summary>
/// The sending half of a fake venue's WebSocket: frames queued from any thread go out in order
/// on one loop. <c>dropAfter</c> (when positive) aborts the socket after that many frames, to
/// script a dropped connection.
/// </summary>
public class OutgoingFrames(WebSocket socket, int dropAfter = 0)
{
    private readonly Channel<string> _out = Channel.CreateUnbounded<string>();
    private readonly CancellationTokenSource _abort = new();
    private int _sent;

    public void Enqueue(string frame) => _out.Writer.TryWrite(frame);

    public void Abort() => _abort.Cancel();

    public async Task SendLoopAsync(CancellationToken stop)
    {
        using var both = CancellationTokenSource.CreateLinkedTokenSource(stop, _abort.Token);
        try
        {
            await foreach (string frame in _out.Reader.ReadAllAsync(both.Token))
            {
                await socket.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, true, both.Token);
                if (dropAfter > 0 && ++_sent >= dropAfter)
                {
                    socket.Abort();
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // the connection ended
        }
        finally
        {
            if (_abort.IsCancellationRequested && socket.State == WebSocketState.Open)
            {
                socket.Abort();
            }
        }
    }
}
