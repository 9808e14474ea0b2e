using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using ArbBot.Abstractions.Events;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Plugins;
using ArbBot.Venues.Kalshi.Auth;
using ArbBot.Venues.Kalshi.Config;
using ArbBot.Venues.Kalshi.Http;
using ArbBot.Venues.Kalshi.Parsing;
using ArbBot.Venues.Toolkit.Reconnect;
using ArbBot.Venues.Toolkit.Streaming;

namespace ArbBot.Venues.Kalshi.Streaming;

/// <summary>
/// One authenticated WebSocket to Kalshi carrying every channel of a venue: <c>orderbook_delta</c>
/// for the subscribed markets, their public <c>trade</c>s and <c>ticker</c> (unless turned off)
/// and, when an executor is attached, <c>fill</c>. Keeps the
/// connection up: on any failure the books go stale, it waits (exponential backoff with jitter)
/// and reconnects, then subscribes everything again and the books start a new epoch from fresh
/// snapshots. A sequence gap asks for snapshots (<c>update_subscription</c> / <c>get_snapshot</c>).
/// While the WebSocket is down, the books are polled over REST (<c>GET /markets/orderbooks</c>,
/// every <c>rest_fallback_ms</c>): each poll is a whole book, so it is consistent on its own, and
/// none is applied once the WebSocket is back (its snapshots then replace them).
/// Malformed and unknown frames are logged (the first few of each kind) and skipped.
/// </summary>
internal sealed class KalshiSession : IAsyncDisposable
{
    private const string WebSocketPath = "/trade-api/ws/v2";
    private readonly KalshiSettings _settings;
    private readonly KalshiSigner _signer;
    private readonly VenueContext _context;
    private readonly KalshiFeed _feed;
    private readonly KalshiRestClient _rest;
    private readonly Channel<string> _outgoing = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private readonly SubscriptionRegistry _subscriptions = new();
    private readonly ReconnectBackoff _backoff;
    private Task? _run;
    private Task? _poll;
    private bool _streaming; // the WebSocket is up (guarded by _gate, so a REST book never lands after a WebSocket one)
    private int _pollFailures;
    private bool _outageAnnounced; // the log has said that books come over REST during this outage
    private int _nextCommandId;
    private int _bookSid = -1;
    private readonly List<int> _tapeSids = new(); // ticker and trade subscriptions (they take markets like the book's)
    private bool _wantFills;
    private long _malformed;

    public KalshiSession(KalshiSettings settings, KalshiSigner signer, KalshiRestClient rest, VenueContext context)
    {
        _settings = settings;
        _backoff = new ReconnectBackoff(settings.ReconnectMinMs, settings.ReconnectMaxMs);
        _signer = signer;
        _rest = rest;
        _context = context;
        _feed = new KalshiFeed(context.Books);
    }

    /// <summary>Raised on the session thread for each execution of our orders.</summary>
    public event Action<KalshiFill>? Filled;

    /// <summary>Raised when a (re)connection is up and subscribed.</summary>
    public event Action? Connected;

    /// <summary>Raised when a connection that was up is lost.</summary>
    public event Action? Disconnected;

    /// <summary>How long the connection was down before the last reconnection, in milliseconds (0 before any).</summary>
    public long LastOutageMs { get; private set; }

    /// <summary>Connections made so far (1 after the first).</summary>
    public int Connections { get; private set; }

    private long _downSince; // clock timestamp of the last loss of a live connection (0: up, or never up)

    public void Start()
    {
        lock (_gate)
        {
            _run ??= Task.Run(RunAsync);
            if (_settings.RestFallbackMs > 0)
            {
                _poll ??= Task.Run(PollWhileDisconnectedAsync);
            }
        }
    }

    /// <summary>Whether a market is streamed (subscribed and not unsubscribed since).</summary>
    public bool IsSubscribed(MarketHandle market) => _subscriptions.TryGet(market, out _);

    /// <summary>Adds markets to stream (subscribed now if connected, else on connect); markets already streamed are left alone.</summary>
    public void Subscribe(IReadOnlyList<MarketSubscription> markets)
    {
        IReadOnlyList<MarketSubscription> added = _subscriptions.Add(markets);
        if (added.Count == 0)
        {
            return;
        }

        lock (_gate)
        {
            foreach (MarketSubscription market in added)
            {
                _feed.AddMarket(market.MarketId, market.Handle);
            }
        }

        if (_bookSid >= 0)
        {
            UpdateSubscriptions("add_markets", added);
        }
        else
        {
            SubscribeBooks();
        }
    }

    /// <summary>
    /// Stops streaming markets (<c>update_subscription</c> / <c>delete_markets</c> on each channel).
    /// Their frames are ignored from the moment this returns, even those the venue sends before it
    /// has taken the command.
    /// </summary>
    public void Unsubscribe(IReadOnlyList<MarketHandle> markets)
    {
        IReadOnlyList<MarketSubscription> removed = _subscriptions.Remove(markets);
        if (removed.Count == 0)
        {
            return;
        }

        lock (_gate)
        {
            foreach (MarketSubscription market in removed)
            {
                _feed.RemoveMarket(market.MarketId);
            }
        }

        if (_bookSid >= 0)
        {
            UpdateSubscriptions("delete_markets", removed); // before the venue confirms a subscription it may stream them still: the feed ignores them
        }
    }

    /// <summary>Also stream our fills (the executor calls this).</summary>
    public void WantFills()
    {
        _wantFills = true;
        Send(Command("subscribe", "\"channels\":[\"fill\"]"));
    }

    /// <summary>A fresh snapshot of one market (the engine lost trust in its book). Called on the kernel thread: takes no lock the receive loop holds while it posts.</summary>
    public void RequestSnapshot(MarketHandle market)
    {
        if (_subscriptions.TryGet(market, out MarketSubscription? subscribed) && _bookSid >= 0)
        {
            Send(Command("update_subscription", $"\"sid\":{_bookSid},\"action\":\"get_snapshot\",\"market_tickers\":{Tickers([subscribed.MarketId])}"));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _outgoing.Writer.TryComplete();
        foreach (Task? task in new[] { _run, _poll })
        {
            if (task is not null)
            {
                await task.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        _stop.Dispose();
    }

    private void SubscribeBooks()
    {
        string[] tickers;
        lock (_gate)
        {
            tickers = _feed.Markets.Keys.ToArray();
        }

        if (tickers.Length > 0)
        {
            Send(Command("subscribe", $"\"channels\":[\"orderbook_delta\"],\"market_tickers\":{Tickers(tickers)}"));
            string tape = (_settings.StreamTrades ? "\"trade\"," : "") + (_settings.StreamTicker ? "\"ticker\"," : "");
            if (tape.Length > 0)
            {
                Send(Command("subscribe", $"\"channels\":[{tape.TrimEnd(',')}],\"market_tickers\":{Tickers(tickers)}"));
            }
        }
    }

    /// <summary>Adds or deletes markets on the book subscription and the tape's (ticker, trade).</summary>
    private void UpdateSubscriptions(string action, IReadOnlyList<MarketSubscription> markets)
    {
        int[] sids;
        lock (_tapeSids)
        {
            sids = _tapeSids.Prepend(_bookSid).ToArray();
        }

        string tickers = Tickers(markets.Select(m => m.MarketId));
        foreach (int sid in sids)
        {
            Send(Command("update_subscription", $"\"sid\":{sid},\"action\":\"{action}\",\"market_tickers\":{tickers}"));
        }
    }

    private void Send(string command) => _outgoing.Writer.TryWrite(command);

    private string Command(string cmd, string parameters) =>
        $"{{\"id\":{Interlocked.Increment(ref _nextCommandId)},\"cmd\":\"{cmd}\",\"params\":{{{parameters}}}}}";

    private static string Tickers(IEnumerable<string> tickers) =>
        "[" + string.Join(",", tickers.Select(t => System.Text.Json.JsonSerializer.Serialize(t))) + "]";

    private async Task RunAsync()
    {
        int failures = 0;
        while (!_stop.IsCancellationRequested)
        {
            using var socket = new ClientWebSocket();
            (string key, string timestamp, string signature) = _signer.Sign("GET", WebSocketPath);
            socket.Options.SetRequestHeader(KalshiSigner.KeyHeader, key);
            socket.Options.SetRequestHeader(KalshiSigner.TimestampHeader, timestamp);
            socket.Options.SetRequestHeader(KalshiSigner.SignatureHeader, signature);
            socket.Options.CollectHttpResponseDetails = true;
            _context.Books.OnVenueStatus(VenueStatus.Connecting, _settings.WebSocketUrl.Host);
            string? reconnecting = null;
            try
            {
                await socket.ConnectAsync(_settings.WebSocketUrl, _stop.Token).ConfigureAwait(false);
                failures = 0;
                Connections++;
                if (_downSince != 0)
                {
                    LastOutageMs = (long)_context.Clock.GetElapsedTime(_downSince).TotalMilliseconds;
                    _downSince = 0;
                }

                lock (_gate)
                {
                    _streaming = true; // from here on, only WebSocket snapshots
                    _outageAnnounced = false;
                    _feed.Reset();
                    _context.Recorder?.Mark(KalshiStreams.WebSocket, KalshiStreams.Connected);
                }

                _bookSid = -1;
                lock (_tapeSids)
                {
                    _tapeSids.Clear();
                }

                // Everything is subscribed afresh on every connection: fresh snapshots, a new epoch.
                DrainStaleCommands();
                SubscribeBooks();
                if (_wantFills)
                {
                    Send(Command("subscribe", "\"channels\":[\"fill\"]"));
                }

                _context.Books.OnVenueStatus(VenueStatus.Connected, _settings.WebSocketUrl.Host);
                Connected?.Invoke();
                using var connection = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                Task sending = SendLoopAsync(socket, connection.Token);
                try
                {
                    await WebSocketMessages.ReceiveAsync(socket, message => OnFrame(message, Stopwatch.GetTimestamp()), connection.Token).ConfigureAwait(false);
                }
                finally
                {
                    await connection.CancelAsync().ConfigureAwait(false);
                    await sending.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or InvalidOperationException or HttpRequestException or OperationCanceledException)
            {
                failures++;
                string why = socket.HttpStatusCode is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden
                    ? $"Kalshi refused the credentials (HTTP {(int)socket.HttpStatusCode}): check the API key id in {_settings.ApiKeyIdEnv} and private_key_file, and that they are for this environment"
                    : $"connection to {_settings.WebSocketUrl.Host} failed or dropped: {ex.Message}";
                if (FailureLog.ShouldTell(failures))
                {
                    _context.Log.Warn(why);
                }

                reconnecting = why;
            }

            // Books of a dead connection are not to be trusted: stale until the next snapshot.
            bool wasUp;
            lock (_gate)
            {
                wasUp = _streaming;
                _streaming = false;
                _context.Recorder?.Mark(KalshiStreams.WebSocket, KalshiStreams.Disconnected);
                foreach (MarketHandle market in _feed.Markets.Values)
                {
                    _context.Books.OnBookInvalidated(market, "connection lost");
                }
            }

            if (wasUp && !_stop.IsCancellationRequested)
            {
                _downSince = _context.Clock.GetTimestamp();
                Disconnected?.Invoke();
            }

            // Said only now: whoever sees "reconnecting" finds the fill channel already marked down (no order slips out in between).
            if (reconnecting is not null)
            {
                _context.Books.OnVenueStatus(VenueStatus.Reconnecting, reconnecting);
            }

            await _backoff.WaitAsync(failures, _stop.Token).ConfigureAwait(false);
        }

        _context.Books.OnVenueStatus(VenueStatus.Stopped, "stopped");
    }

    private async Task PollWhileDisconnectedAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(_settings.RestFallbackMs));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                string[] tickers;
                lock (_gate)
                {
                    tickers = _streaming ? [] : _feed.Markets.Keys.ToArray();
                }

                foreach (string[] chunk in tickers.Chunk(100)) // the batch endpoint takes up to 100 tickers
                {
                    await PollAsync(chunk).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task PollAsync(string[] tickers)
    {
        try
        {
            using JsonDocument doc = await _rest.GetAsync($"/markets/orderbooks?tickers={Uri.EscapeDataString(string.Join(",", tickers))}", _stop.Token).ConfigureAwait(false);
            long received = Stopwatch.GetTimestamp();
            int applied;
            lock (_gate)
            {
                if (_streaming)
                {
                    return; // the WebSocket came back while this poll was in flight: its snapshots win
                }

                using (_context.Recorder?.Frame(KalshiStreams.RestBooks, JsonSerializer.SerializeToUtf8Bytes(doc.RootElement), received)) // serialised only when recording
                {
                    applied = KalshiRestBook.ApplyBatch(doc.RootElement, _feed.Markets, received, _context.Books, _context.Log.Warn);
                }
            }

            if (!_outageAnnounced && applied > 0)
            {
                _outageAnnounced = true;
                _context.Log.Info($"WebSocket down: books polled over REST every {_settings.RestFallbackMs} ms until it is back");
            }

            _pollFailures = 0;
        }
        catch (Exception ex) when (ex is KalshiApiException or HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            if (!_stop.IsCancellationRequested && FailureLog.ShouldTell(++_pollFailures))
            {
                _context.Log.Warn($"REST order book poll failed ({_pollFailures} in a row): {ex.Message}");
            }
        }
    }

    private void DrainStaleCommands()
    {
        // Commands queued for a dead connection refer to its sids: the new connection subscribes afresh.
        while (_outgoing.Reader.TryRead(out _))
        {
        }
    }

    private async Task SendLoopAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        await foreach (string command in _outgoing.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(command), WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
        }
    }

    private void OnFrame(ReadOnlySpan<byte> frame, long received)
    {
        FrameKind kind;
        FrameInfo info;
        lock (_gate)
        {
            using (_context.Recorder?.Frame(KalshiStreams.WebSocket, frame, received))
            {
                kind = _feed.Handle(frame, received, out info);
            }
        }

        switch (kind)
        {
            case FrameKind.Book:
            case FrameKind.Tape:
            case FrameKind.Ignored:
                break;
            case FrameKind.Gap:
                _context.Log.Warn($"{info.Text}; asking for fresh snapshots");
                if (_bookSid >= 0)
                {
                    Send(Command("update_subscription", $"\"sid\":{_bookSid},\"action\":\"get_snapshot\",\"market_tickers\":{Tickers(_feed.Markets.Keys.ToArray())}"));
                }

                break;
            case FrameKind.Subscribed:
                if (info.Text == "orderbook_delta")
                {
                    _bookSid = info.Sid;
                }
                else if (info.Text is "ticker" or "trade")
                {
                    lock (_tapeSids)
                    {
                        _tapeSids.Add(info.Sid);
                    }
                }

                break;
            case FrameKind.Error:
                _context.Log.Warn($"Kalshi answered command {info.Id} with error {info.Code}: {info.Text}");
                if (info.Code is 10 or 17 or 25 && info.Sid == _bookSid)
                {
                    SubscribeBooks(); // the subscription is dead: subscribe again
                }

                break;
            case FrameKind.Fill:
                Filled?.Invoke(info.Fill!);
                break;
            case FrameKind.Malformed:
                long n = Interlocked.Increment(ref _malformed);
                if (FailureLog.ShouldTellSkipped(n))
                {
                    _context.Log.Warn($"skipped a frame ({info.Text}; {n} so far): {Preview(frame)}");
                }

                break;
        }
    }

    private static string Preview(ReadOnlySpan<byte> frame) =>
        Encoding.UTF8.GetString(frame[..Math.Min(frame.Length, 200)]);
}
