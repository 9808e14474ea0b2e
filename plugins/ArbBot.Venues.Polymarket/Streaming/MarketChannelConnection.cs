using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using ArbBot.Abstractions.Events;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Plugins;
using ArbBot.Venues.Polymarket.Config;
using ArbBot.Venues.Polymarket.Parsing;

using ArbBot.Venues.Toolkit.Reconnect;

namespace ArbBot.Venues.Polymarket.Streaming;

/// <summary>
/// One WebSocket to the market channel carrying up to <c>max_assets_per_connection</c> outcome
/// tokens. Subscribes them on connect (the venue answers with each token's book), sends
/// <c>PING</c> every <c>ping_interval_ms</c>, and on any failure makes its markets stale, waits
/// (exponential backoff with full jitter) and connects again. A market whose tick size changed,
/// or whose book the engine no longer trusts, is subscribed again for fresh books.
/// </summary>
internal sealed class MarketChannelConnection : IAsyncDisposable
{
    private readonly PolymarketSettings _settings;
    private readonly VenueContext _context;
    private readonly PolymarketFeed _feed;
    private readonly List<(MarketHandle Market, string Yes, string No)> _markets;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private readonly ReconnectBackoff _backoff;
    private readonly object _apply = new(); // the socket's frames and the REST books reach the feed one at a time
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private ClientWebSocket? _socket;
    private Task? _run;
    private Task? _fallback;
    private volatile bool _live;
    private volatile bool _emptied; // all its markets were unsubscribed: it closes without a word about the venue, whose other connections stream on
    private long _malformed;
    private readonly int _socketStream;
    private readonly int _restStream;
    private readonly Action<MarketHandle, Price>? _tickChanged;

    public MarketChannelConnection(PolymarketSettings settings, VenueContext context, List<(MarketHandle Market, string Yes, string No)> markets, int index, Action<MarketHandle, Price>? tickChanged = null)
    {
        _tickChanged = tickChanged;
        _socketStream = MarketChannelStreams.SocketOf(index);
        _restStream = MarketChannelStreams.RestOf(index);
        _settings = settings;
        _backoff = new ReconnectBackoff(settings.ReconnectMinMs, settings.ReconnectMaxMs);
        _context = context;
        _markets = markets;
        _feed = new PolymarketFeed(context.Books);
        foreach ((MarketHandle market, string yes, string no) in markets)
        {
            _feed.AddMarket(market, yes, no);
        }
    }

    public bool Serves(MarketHandle market)
    {
        lock (_apply)
        {
            return _markets.Any(m => m.Market == market);
        }
    }

    /// <summary>
    /// Stops streaming markets this connection carries (the venue is told with an <c>unsubscribe</c>
    /// operation); their messages are ignored from the moment this returns. Returns how many
    /// markets the connection still carries.
    /// </summary>
    public int Remove(IReadOnlyCollection<MarketHandle> markets)
    {
        var tokens = new List<string>();
        int left;
        lock (_apply)
        {
            foreach ((MarketHandle market, string yes, string no) in _markets.Where(m => markets.Contains(m.Market)).ToList())
            {
                _feed.RemoveMarket(yes, no);
                _markets.Remove((market, yes, no));
                tokens.Add(yes);
                tokens.Add(no);
            }

            left = _markets.Count;
            _emptied = left == 0;
        }

        if (tokens.Count > 0 && left > 0)
        {
            _ = SendAsync($"{{\"operation\":\"unsubscribe\",\"assets_ids\":{JsonSerializer.Serialize(tokens)}}}");
        }

        return left;
    }

    public void Start()
    {
        _run ??= Task.Run(RunAsync);
        if (_settings.RestFallbackMs > 0)
        {
            _fallback ??= Task.Run(RestFallbackAsync);
        }
    }

    /// <summary>REST book fetches answered (tests and the summary).</summary>
    public long RestBooks { get; private set; }

    /// <summary>
    /// Fresh books for one market: its tokens are subscribed again on the open socket, which
    /// answers with their books. Not unsubscribed first: changes keep flowing in order with the
    /// books, so none is lost in between.
    /// </summary>
    public void Refresh(MarketHandle market)
    {
        (MarketHandle Market, string Yes, string No)[] served;
        lock (_apply)
        {
            served = _markets.Where(m => m.Market == market).ToArray();
        }

        foreach ((MarketHandle m, string yes, string no) in served)
        {
            _ = SendAsync($"{{\"operation\":\"subscribe\",\"assets_ids\":{JsonSerializer.Serialize(new[] { yes, no })},\"initial_dump\":true}}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket?.Abort();
        if (_run is not null)
        {
            await _run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (_fallback is not null)
        {
            await _fallback.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _http.Dispose();
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        int failures = 0;
        while (!_stop.IsCancellationRequested)
        {
            using var socket = new ClientWebSocket();
            _socket = socket;
            _context.Books.OnVenueStatus(VenueStatus.Connecting, _settings.MarketChannelUrl.Host);
            try
            {
                await socket.ConnectAsync(_settings.MarketChannelUrl, _stop.Token).ConfigureAwait(false);
                lock (_apply)
                {
                    _live = true; // from here the socket's books win: a REST answer still in flight is dropped
                    _context.Recorder?.Mark(_socketStream, MarketChannelStreams.Connected);
                }

                failures = 0;
                string ids;
                lock (_apply)
                {
                    ids = JsonSerializer.Serialize(_markets.SelectMany(m => new[] { m.Yes, m.No }));
                }

                await SendAsync($"{{\"assets_ids\":{ids},\"type\":\"market\",\"custom_feature_enabled\":true}}").ConfigureAwait(false);
                _context.Books.OnVenueStatus(VenueStatus.Connected, _settings.MarketChannelUrl.Host);
                await SocketLoop.ServeAsync(socket, TimeSpan.FromMilliseconds(_settings.PingIntervalMs), SendAsync, OnSocketFrame, "", _stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (_stop.IsCancellationRequested && ex is OperationCanceledException or WebSocketException or IOException)
            {
                break; // closed on purpose (the socket is aborted on dispose)
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or InvalidOperationException or HttpRequestException or OperationCanceledException)
            {
                failures++;
                string why = $"market channel {_settings.MarketChannelUrl.Host} failed or dropped: {ex.Message}";
                if (FailureLog.ShouldTell(failures))
                {
                    _context.Log.Warn(why);
                }

                _context.Books.OnVenueStatus(VenueStatus.Reconnecting, why);
            }

            // The books of a dead connection are not to be trusted: stale until fresh books arrive (over REST meanwhile).
            lock (_apply)
            {
                _live = false;
                _context.Recorder?.Mark(_socketStream, MarketChannelStreams.Disconnected);
                foreach ((MarketHandle market, _, _) in _markets)
                {
                    _context.Books.OnBookInvalidated(market, "connection lost");
                }
            }

            await _backoff.WaitAsync(failures, _stop.Token).ConfigureAwait(false);
        }

        if (!_emptied)
        {
            _context.Books.OnVenueStatus(VenueStatus.Stopped, "stopped");
        }
    }

    private void OnSocketFrame(ReadOnlySpan<byte> frame)
    {
        long received = Stopwatch.GetTimestamp();
        lock (_apply)
        {
            using (_context.Recorder?.Frame(_socketStream, frame, received))
            {
                OnFrame(frame, received);
            }
        }
    }

    /// <summary>
    /// While the socket is down, this connection's books from <c>POST /books</c> every
    /// <c>rest_fallback_ms</c>, applied as snapshots: the books stay usable (and honest about their
    /// age) through an outage. Stops the moment the socket is back.
    /// </summary>
    private async Task RestFallbackAsync()
    {
        var url = new Uri(_settings.ClobUrl, _settings.ClobUrl.AbsolutePath.TrimEnd('/') + "/books");
        bool announced = false;
        while (!_stop.IsCancellationRequested)
        {
            await Task.Delay(_settings.RestFallbackMs, _stop.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (_live || _stop.IsCancellationRequested)
            {
                announced = false;
                continue;
            }

            if (!announced)
            {
                announced = true;
                _context.Log.Warn($"market channel down: {_markets.Count} markets' books from REST every {_settings.RestFallbackMs} ms until it is back");
            }

            string body;
            lock (_apply)
            {
                body = "[" + string.Join(",", _markets.SelectMany(m => new[] { m.Yes, m.No }).Select(t => $"{{\"token_id\":\"{t}\"}}")) + "]";
            }

            try
            {
                using var content = new StringContent(body, Encoding.UTF8, "application/json");
                using HttpResponseMessage response = await _http.PostAsync(url, content, _stop.Token).ConfigureAwait(false);
                byte[] answer = await response.Content.ReadAsByteArrayAsync(_stop.Token).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    _context.Log.Warn($"POST /books: HTTP {(int)response.StatusCode}: {Encoding.UTF8.GetString(answer.AsSpan(0, Math.Min(answer.Length, 200)))}");
                    continue;
                }

                lock (_apply)
                {
                    if (!_live)
                    {
                        FrameKind kind;
                        string? problem;
                        long received = Stopwatch.GetTimestamp();
                        using (_context.Recorder?.Frame(_restStream, answer, received))
                        {
                            kind = _feed.HandleRestBooks(answer, received, out problem);
                        }

                        if (kind == FrameKind.Malformed)
                        {
                            _context.Log.Warn($"POST /books: skipped an answer ({problem})");
                        }
                    }
                }

                RestBooks++;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !_stop.IsCancellationRequested)
            {
                _context.Log.Warn($"POST /books failed: {ex.Message}");
            }
        }
    }

    private async Task SendAsync(string text)
    {
        ClientWebSocket? socket = _socket;
        if (socket is null || socket.State != WebSocketState.Open)
        {
            return; // the next connection subscribes everything anyway
        }

        await _sendGate.WaitAsync(_stop.Token).ConfigureAwait(false);
        try
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // the receive loop sees the broken connection and reconnects
        }
        finally
        {
            _sendGate.Release();
        }
    }

    private void OnFrame(ReadOnlySpan<byte> frame, long received)
    {
        switch (_feed.Handle(frame, received, out string? problem))
        {
            case FrameKind.TickSize:
                _tickChanged?.Invoke(_feed.TickSizeChanged, _feed.NewTick);
                Refresh(_feed.TickSizeChanged);
                break;
            case FrameKind.Malformed:
                long n = Interlocked.Increment(ref _malformed);
                if (FailureLog.ShouldTellSkipped(n))
                {
                    _context.Log.Warn($"skipped a frame ({problem}; {n} so far): {Encoding.UTF8.GetString(frame[..Math.Min(frame.Length, 200)])}");
                }

                break;
        }
    }
}
