using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace ArbBot.FakeVenues;

/// <summary>
/// What every fake venue server shares: Kestrel on a loopback port, the open WebSocket
/// connections (each served until the client goes), a generator task moving the books, and an
/// orderly stop. A venue adds its endpoints, its protocol and its generator.
/// </summary>
public abstract class FakeVenueServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private WebApplication? _app;
    private Task? _generator;

    /// <summary>WebSocket connections accepted so far.</summary>
    public int ConnectionsAccepted { get; private set; }

    /// <summary>Guards the server's state: connections, books, orders.</summary>
    protected object Gate { get; } = new();

    /// <summary>The open connections (under <see cref="Gate"/>).</summary>
    protected List<OutgoingFrames> Connections { get; } = new();

    /// <summary>Fires when the server stops.</summary>
    protected CancellationToken Stopping => _stop.Token;

    /// <summary>Closes every WebSocket (the client must reconnect and subscribe again).</summary>
    public void DropConnections()
    {
        lock (Gate)
        {
            foreach (OutgoingFrames c in Connections)
            {
                c.Abort();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        DropConnections();
        if (_generator is not null)
        {
            await _generator.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Starts Kestrel with the venue's endpoints and the generator; returns the base address (http://127.0.0.1:PORT).</summary>
    protected async Task<string> StartHostAsync(int port, Action<WebApplication> endpoints)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        app.UseWebSockets();
        endpoints(app);
        await app.StartAsync();
        _app = app;
        _generator = Task.Run(GenerateAsync);
        return app.Urls.First();
    }

    /// <summary>Moves the venue's books until <see cref="Stopping"/> fires.</summary>
    protected abstract Task GenerateAsync();

    /// <summary>Serves one accepted connection: registers it, sends its queue and hands each text frame to <paramref name="onText"/> until it closes.</summary>
    protected async Task ServeAsync(WebSocket socket, OutgoingFrames connection, Action<string> onText)
    {
        lock (Gate)
        {
            Connections.Add(connection);
            ConnectionsAccepted++;
        }

        Task sending = connection.SendLoopAsync(Stopping);
        try
        {
            await TextFrames.ReceiveAsync(socket, onText, Stopping);
        }
        finally
        {
            lock (Gate)
            {
                Connections.Remove(connection);
                OnClosed(connection);
            }

            connection.Abort();
            await sending.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>A connection closed (called under <see cref="Gate"/>).</summary>
    protected virtual void OnClosed(OutgoingFrames connection)
    {
    }
}
