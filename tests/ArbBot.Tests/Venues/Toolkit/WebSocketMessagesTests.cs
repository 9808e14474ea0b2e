using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using ArbBot.Venues.Toolkit.Streaming;

namespace ArbBot.Tests.Venues.Toolkit;

/// <summary>
/// The shared receive loop over a real WebSocket on a loopback TCP connection: messages sent in
/// fragments, small and larger than the initial buffer, arrive whole and in order; a close from the
/// server is an error that says so.
/// </summary>
public sealed class WebSocketMessagesTests
{
    [Fact]
    public async Task Fragmented_and_large_messages_arrive_whole_and_in_order()
    {
        (WebSocket server, WebSocket client, IDisposable sockets) = await ConnectedPairAsync();
        using (sockets)
        {
            var random = new Random(5);
            byte[][] sent = Enumerable.Range(0, 40).Select(i => Payload(random, i % 10 == 9 ? random.Next(70_000, 300_000) : random.Next(1, 3_000))).ToArray();
            Task sending = Task.Run(async () =>
            {
                foreach (byte[] message in sent)
                {
                    // In fragments of random sizes: the receiver must join them.
                    int offset = 0;
                    while (offset < message.Length)
                    {
                        int length = Math.Min(message.Length - offset, random.Next(1, 20_000));
                        await server.SendAsync(message.AsMemory(offset, length), WebSocketMessageType.Binary, offset + length == message.Length, CancellationToken.None);
                        offset += length;
                    }
                }

                await server.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
            });

            var received = new List<byte[]>();
            WebSocketException closed = await Assert.ThrowsAsync<WebSocketException>(() =>
                WebSocketMessages.ReceiveAsync(client, message => received.Add(message.ToArray()), CancellationToken.None, ": the test is over"));
            await sending;
            Assert.Equal(sent.Length, received.Count);
            for (int i = 0; i < sent.Length; i++)
            {
                Assert.True(sent[i].AsSpan().SequenceEqual(received[i]), $"message {i} ({sent[i].Length} bytes) differs");
            }

            Assert.Contains("the server closed the connection (NormalClosure done): the test is over", closed.Message, StringComparison.Ordinal);
        }
    }

    private static byte[] Payload(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static async Task<(WebSocket Server, WebSocket Client, IDisposable Sockets)> ConnectedPairAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var clientTcp = new TcpClient();
        Task connecting = clientTcp.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        TcpClient serverTcp = await listener.AcceptTcpClientAsync();
        await connecting;
        WebSocket server = WebSocket.CreateFromStream(serverTcp.GetStream(), new WebSocketCreationOptions { IsServer = true });
        WebSocket client = WebSocket.CreateFromStream(clientTcp.GetStream(), new WebSocketCreationOptions { IsServer = false });
        return (server, client, new Both(serverTcp, clientTcp, server, client));
    }

    private sealed class Both(params IDisposable[] parts) : IDisposable
    {
        public void Dispose()
        {
            foreach (IDisposable part in parts)
            {
                part.Dispose();
            }
        }
    }
}
