using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using ArbBot.Abstractions.Events;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Plugins;
using MyVenue.Config;
using ArbBot.Venues.Toolkit.Reconnect;
using ArbBot.Venues.Toolkit.Streaming;
using MyVenue.Parsing;

namespace MyVenue.Streaming;

/// <summary>
/// Streams MyVenue's books: one WebSocket, kept open (reconnecting with backoff and jitter) until
/// disposed; every subscribed market is subscribed again on each new connection, and its book is
/// invalidated when a connection drops, so the engine never trusts a book across a gap. The venue
/// numbers each market's messages, so the engine itself notices a lost delta and asks for a
/// snapshot through <see cref="RequestSnapshot"/>.
/// </summary>
public sealed class MyVenueConnector : IVenueConnector
{
    private readonly ReconnectBackoff _backoff = new(minMs: 100, maxMs: 5_000);
    private readonly MyVenueSettings _settings;
    private readonly VenueContext _context;
    private readonly SubscriptionRegistry _markets = new(); // by handle and by the venue's market id
    private readonly Lock _decoding = new(); // held while a frame is decoded: a market unsubscribed gets no event after UnsubscribeAsync
    private readonly Channel<string> _outbox = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<MarketHandle, long> _lastSequence = new(); // receive loop only: the newest message number applied per market
    private Task? _run;
    private int _disposed;

    /// <summary>Creates the connector; nothing connects before <see cref="ConnectAsync"/>.</summary>
    public MyVenueConnector(MyVenueSettings settings, VenueContext context)
    {
        _settings = settings;
        _context = context;
    }

    /// <inheritdoc/>
    public BookStyle BookStyle => BookStyle.BidsOnly; // each outcome's bids; an outcome's ask is 1 - the other's best bid

    /// <inheritdoc/>
    public Task ConnectAsync(CancellationToken cancellationToken)
    {
        _run ??= Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task SubscribeAsync(IReadOnlyList<MarketSubscription> markets, CancellationToken cancellationToken)
    {
        IReadOnlyList<MarketSubscription> added = _markets.Add(markets); // only what is new: the others stream on as they are
        if (added.Count > 0)
        {
            _outbox.Writer.TryWrite(MyVenueFrames.Subscribe(added.Select(m => m.MarketId)));
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task UnsubscribeAsync(IReadOnlyList<MarketHandle> markets, CancellationToken cancellationToken)
    {
        IReadOnlyList<MarketSubscription> removed;
        lock (_decoding)
        {
            removed = _markets.Remove(markets);
            foreach (MarketSubscription market in removed)
            {
                _lastSequence.Remove(market.Handle);
            }
        }

        if (removed.Count > 0)
        {
            _outbox.Writer.TryWrite(MyVenueFrames.Unsubscribe(removed.Select(m => m.MarketId))); // until the venue takes it, their frames are ignored
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public void RequestSnapshot(MarketHandle market, string reason)
    {
        if (_markets.TryGet(market, out MarketSubscription? found))
        {
            _outbox.Writer.TryWrite(MyVenueFrames.Snapshot(found.MarketId)); // never blocks: the sender sends it
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return; // disposing twice is allowed, and does nothing more
        }

        await _stop.CancelAsync();
        if (_run is not null)
        {
            await _run;
        }

        _stop.Dispose();
        _context.Books.OnVenueStatus(VenueStatus.Stopped, "disposed");
    }

    private async Task RunAsync(CancellationToken stop)
    {
        int failures = 0;
        while (!stop.IsCancellationRequested)
        {
            _context.Books.OnVenueStatus(failures == 0 ? VenueStatus.Connecting : VenueStatus.Reconnecting, _settings.StreamUrl.ToString());
            using var socket = new ClientWebSocket();
            socket.Options.CollectHttpResponseDetails = true; // to tell refused credentials from a venue that is down
            if (_settings.Token.Length > 0)
            {
                socket.Options.SetRequestHeader("Authorization", "Bearer " + _settings.Token);
            }

            try
            {
                await socket.ConnectAsync(_settings.StreamUrl, stop);
                failures = 0;
                _context.Books.OnVenueStatus(VenueStatus.Connected, _settings.StreamUrl.ToString());
                string[] subscribed = _markets.All.Select(m => m.MarketId).ToArray();

                if (subscribed.Length > 0)
                {
                    await SendAsync(socket, MyVenueFrames.Subscribe(subscribed), stop);
                }

                using var connection = CancellationTokenSource.CreateLinkedTokenSource(stop);
                Task sending = SendLoopAsync(socket, connection.Token);
                try
                {
                    await WebSocketMessages.ReceiveAsync(socket, OnMessage, stop); // whole messages from one reused buffer, until the connection fails
                }
                finally
                {
                    await connection.CancelAsync();
                    await sending.ContinueWith(_ => { }, TaskScheduler.Default); // its cancellation is expected
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or HttpRequestException)
            {
                failures++;
                if (socket.HttpStatusCode is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden)
                {
                    if (FailureLog.ShouldTell(failures))
                    {
                        _context.Log.Error($"{_context.VenueName}: the venue refused the credentials (HTTP {(int)socket.HttpStatusCode}): check the token in {_settings.TokenEnv}; retrying ({failures} tries so far)");
                    }
                }
                else if (FailureLog.ShouldTell(failures))
                {
                    _context.Log.Warn($"{_context.VenueName}: connection to {_settings.StreamUrl} failed ({ex.Message}); retrying ({failures} failures so far)");
                }
            }

            InvalidateAll("connection lost");
            await _backoff.WaitAsync(failures, stop); // exponential with jitter: many engines losing one venue do not all come back at once
        }
    }

    private void OnMessage(ReadOnlySpan<byte> message)
    {
        string? skipped;
        lock (_decoding)
        {
            skipped = MyVenueFrames.Decode(message, FindMarket, _context.Books, Stopwatch.GetTimestamp(), _lastSequence);
        }

        if (skipped is not null)
        {
            _context.Log.Warn($"skipped a frame on {_context.VenueName}: {skipped}");
        }
    }

    private async Task SendLoopAsync(ClientWebSocket socket, CancellationToken stop)
    {
        await foreach (string message in _outbox.Reader.ReadAllAsync(stop))
        {
            await SendAsync(socket, message, stop);
        }
    }

    private static Task SendAsync(ClientWebSocket socket, string message, CancellationToken stop) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, endOfMessage: true, stop);

    private MarketHandle? FindMarket(string marketId) =>
        _markets.TryGetByMarketId(marketId, out MarketSubscription? market) ? market.Handle : null;

    private void InvalidateAll(string reason)
    {
        foreach (MarketSubscription market in _markets.All)
        {
            _context.Books.OnBookInvalidated(market.Handle, reason);
        }
    }
}
