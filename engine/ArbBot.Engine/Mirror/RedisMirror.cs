using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ArbBot.Abstractions.Events;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Abstractions.Strategies;
using ArbBot.Engine.Books;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Kernel;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace ArbBot.Engine.Mirror;

/// <summary>
/// Mirrors the engine into Redis for other processes (redis-cli, dashboards, users' scripts), never
/// on the decision path. On the kernel thread it only copies a changed book into its image and
/// raises a flag (no lock, no allocation); its own thread writes the latest state of every flagged
/// book in one pipeline, so changes coalesce when updates outpace Redis. Expiries make a dead feed's
/// books disappear. Redis down at start or mid-run changes nothing for trading: the mirror waits,
/// and on (re)connect writes the full current state again.
/// </summary>
public sealed class RedisMirror : IKernelListener, IDisposable
{
    private const int StreamLength = 10_000;
    private const int ChangeFlag = 1;
    private const int ResyncFlag = 2;
    private readonly RedisOptions _options;
    private readonly RedisKeys _keys;
    private readonly string _engineId;
    private readonly EngineKernel _kernel;
    private readonly ILogger _logger;
    private readonly TimeSpan _expiry;
    private readonly BookImage[] _images;
    private readonly long[] _lastChange;
    private readonly int[] _dirty;
    private readonly string[] _bookKeys;
    private readonly string[][] _depthKeys;
    private readonly (string Venue, string Market, Outcome Outcome)[] _bookNames;
    private readonly System.Collections.Concurrent.ConcurrentQueue<IntentGroup> _opportunities = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<Fill> _fills = new();
    private readonly LagRecorder _lags = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<IReadOnlyList<(string Name, string Version)>> _strategies;
    private readonly long _startedMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    private RedisStore? _store;
    private Thread? _writer;
    private volatile bool _anyDirty;
    private bool _idle;
    private volatile string _state = "connecting";
    private long _written;
    private long _resyncs;
    private double _writesPerSecond;

    /// <summary>Creates the mirror for the books registered in the kernel's store.</summary>
    public RedisMirror(RedisOptions options, string engineId, EngineKernel kernel, Func<IReadOnlyList<(string Name, string Version)>> strategies, ILogger logger)
    {
        _options = options;
        _keys = new RedisKeys(options.KeyPrefix);
        _engineId = engineId;
        _kernel = kernel;
        _strategies = strategies;
        _logger = logger;
        _expiry = TimeSpan.FromSeconds(options.ExpirySeconds);
        BookStore books = kernel.Books;
        int levels = options.DepthLevels;
        _images = new BookImage[books.Count];
        _dirty = new int[books.Count];
        _lastChange = new long[books.Count];
        _bookKeys = new string[books.Count * 2];
        _depthKeys = new string[books.Count * 2][];
        _bookNames = new (string, string, Outcome)[books.Count * 2];
        for (int i = 0; i < books.Count; i++)
        {
            MarketBook book = books[new MarketHandle(i)];
            _images[i] = new BookImage(Math.Max(1, levels));
            foreach (Outcome outcome in new[] { Outcome.Yes, Outcome.No })
            {
                int k = (i * 2) + (int)outcome;
                _bookKeys[k] = _keys.Book(book.VenueName, book.MarketId, outcome);
                _depthKeys[k] = [_keys.Depth(book.VenueName, book.MarketId, outcome, BookSide.Bid), _keys.Depth(book.VenueName, book.MarketId, outcome, BookSide.Ask)];
                _bookNames[k] = (book.VenueName, book.MarketId, outcome);
            }
        }
    }

    /// <summary>The key schema in use.</summary>
    public RedisKeys Keys => _keys;

    /// <summary>Starts the writer thread, which connects (and keeps trying) on its own.</summary>
    public void Start()
    {
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "arbbot-redis-mirror" };
        _writer.Start();
    }

    private RedisStore Connect()
    {
        string? password = null;
        if (_options.PasswordEnv is { } variable)
        {
            password = Environment.GetEnvironmentVariable(variable);
            if (password is null)
            {
                _logger.LogWarning("redis.password_env names {Variable}, which is not set; connecting without a password", variable);
            }
        }

        return RedisStore.Connect(_options.Connection, _options.Database, password);
    }

    /// <summary>What the mirror is doing now.</summary>
    public MirrorStatus Status()
    {
        (double p50, double p99) = _lags.Percentiles();
        return new MirrorStatus(_state, Interlocked.Read(ref _written), Volatile.Read(ref _writesPerSecond), p50, p99, Interlocked.Read(ref _resyncs));
    }

    /// <summary>Connected, and every change so far written and acknowledged (for tests and tools).</summary>
    public bool IsCaughtUp => _store?.IsConnected == true && Volatile.Read(ref _idle) && !_anyDirty;

    /// <summary>Queues a detected opportunity for the <c>opps</c> stream (any thread).</summary>
    public void OnOpportunity(IntentGroup group) => _opportunities.Enqueue(group);

    /// <inheritdoc/>
    public void OnBookUpdated(MarketBook book)
    {
        int i = book.Handle.Value;
        _images[i].Capture(book, book.LastUpdateTimestamp);
        Volatile.Write(ref _dirty[i], ChangeFlag);
        Volatile.Write(ref _idle, false);
        _anyDirty = true;
    }

    /// <inheritdoc/>
    public void OnOrderUpdate(int venueIndex, OrderUpdate update)
    {
    }

    /// <inheritdoc/>
    public void OnFill(int venueIndex, Fill fill) => _fills.Enqueue(fill);

    /// <inheritdoc/>
    public void OnTimer(long nowTimestamp)
    {
    }

    /// <summary>Captures a book that changed without passing through <see cref="OnBookUpdated"/> (an invalidation). Kernel thread.</summary>
    public void Refresh(MarketBook book) => OnBookUpdated(book);

    /// <summary>Stops the writer and closes the connection.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _writer?.Join(TimeSpan.FromSeconds(5));
        _store?.Dispose();
    }

    private void WriteLoop()
    {
        try
        {
            _store = Connect();
        }
        catch (Exception ex) when (ex is ArgumentException or RedisException)
        {
            _state = $"off: bad redis.connection \"{_options.Connection}\": {ex.Message}";
            _logger.LogError("redis mirror: {State}", _state);
            return;
        }

        var scratch = new BookImage(Math.Max(1, _options.DepthLevels));
        var written = new List<int>();
        bool wasConnected = false;
        bool warned = false;
        long lastRefresh = 0;
        long lastHeartbeat = 0;
        long rateStart = Stopwatch.GetTimestamp();
        long rateCount = 0;
        while (!_stop.IsCancellationRequested)
        {
            if (!_store!.IsConnected)
            {
                if (wasConnected || !warned)
                {
                    _logger.LogWarning("redis mirror: no connection to {Connection}; the engine runs on and the mirror keeps trying", _options.Connection);
                    warned = true;
                }

                wasConnected = false;
                _state = $"not connected: no Redis answering at {_options.Connection} (retrying)";
                _stop.Token.WaitHandle.WaitOne(100);
                continue;
            }

            if (!wasConnected)
            {
                // (Re)connected: whatever was written before may be gone or old. Write everything.
                wasConnected = true;
                _state = "connected";
                Interlocked.Increment(ref _resyncs);
                for (int i = 0; i < _dirty.Length; i++)
                {
                    Interlocked.CompareExchange(ref _dirty[i], ResyncFlag, 0);
                }

                _anyDirty = true;
                _logger.LogInformation("redis mirror: connected to {Connection}; writing the full state ({Books} books)", _options.Connection, _dirty.Length);
            }

            long now = Stopwatch.GetTimestamp();
            RedisStore.Batch batch = _store.NewBatch();
            written.Clear();
            if (_anyDirty)
            {
                _anyDirty = false;
                for (int i = 0; i < _dirty.Length; i++)
                {
                    int flag = Interlocked.Exchange(ref _dirty[i], 0);
                    if (flag == 0)
                    {
                        continue;
                    }

                    while (!_images[i].TryCopyTo(scratch))
                    {
                        Thread.SpinWait(20);
                    }

                    WriteBook(batch, i, scratch);
                    written.Add(i);

                    // Lag is measured for changes only, not for books rewritten by a full sync.
                    _lastChange[i] = flag == ChangeFlag ? scratch.ChangedTimestamp : 0;
                }
            }

            if (Stopwatch.GetElapsedTime(lastRefresh, now) > _expiry / 3)
            {
                lastRefresh = now;
                RefreshLiveBooks(batch);
            }

            if (Stopwatch.GetElapsedTime(lastHeartbeat, now) >= TimeSpan.FromSeconds(1))
            {
                lastHeartbeat = now;
                WriteHeartbeat(batch);
            }

            WriteStreams(batch);
            if (batch.Count == 0)
            {
                Volatile.Write(ref _idle, !_anyDirty);
                _stop.Token.WaitHandle.WaitOne(1);
                continue;
            }

            try
            {
                batch.ExecuteAsync().GetAwaiter().GetResult();
                long acknowledged = Stopwatch.GetTimestamp();
                foreach (int i in written)
                {
                    if (_lastChange[i] != 0)
                    {
                        _lags.Add(acknowledged - _lastChange[i]);
                    }
                }

                Volatile.Write(ref _idle, !_anyDirty);

                Interlocked.Add(ref _written, written.Count);
                rateCount += written.Count;
                double seconds = Stopwatch.GetElapsedTime(rateStart).TotalSeconds;
                if (seconds >= 1)
                {
                    Volatile.Write(ref _writesPerSecond, rateCount / seconds);
                    rateStart = Stopwatch.GetTimestamp();
                    rateCount = 0;
                }
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException or RedisConnectionException)
            {
                // Nothing is lost: the books are flagged again and written once Redis answers.
                foreach (int i in written)
                {
                    Interlocked.CompareExchange(ref _dirty[i], ResyncFlag, 0);
                }

                _anyDirty = true;
                _logger.LogWarning("redis mirror: a write failed ({Message}); retrying", ex.Message);
                _stop.Token.WaitHandle.WaitOne(100);
            }
        }
    }

    private void WriteBook(RedisStore.Batch batch, int index, BookImage image)
    {
        (string venue, string market, _) = _bookNames[index * 2];
        long updatedMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (Outcome outcome in new[] { Outcome.Yes, Outcome.No })
        {
            int k = (index * 2) + (int)outcome;
            bool hasBid = image.TryGetLevel(outcome, BookSide.Bid, 0, out PriceLevel bid);
            bool hasAsk = image.TryGetLevel(outcome, BookSide.Ask, 0, out PriceLevel ask);
            batch.HashSet(_bookKeys[k],
            [
                new HashEntry("bid", hasBid ? BookImage.Format(bid.Price) : ""),
                new HashEntry("bid_size", hasBid ? BookImage.Format(bid.Quantity) : ""),
                new HashEntry("ask", hasAsk ? BookImage.Format(ask.Price) : ""),
                new HashEntry("ask_size", hasAsk ? BookImage.Format(ask.Quantity) : ""),
                new HashEntry("seq", image.Sequence),
                new HashEntry("epoch", image.Epoch),
                new HashEntry("ts", image.VenueTimestampMs),
                new HashEntry("updated_ms", updatedMs),
                new HashEntry("stale", image.Stale ? 1 : 0),
                new HashEntry("crossed", image.Crossed ? 1 : 0),
                new HashEntry("venue", venue),
                new HashEntry("market", market),
                new HashEntry("outcome", outcome.ToWireName()),
                new HashEntry("engine", _engineId),
            ]);
            batch.Expire(_bookKeys[k], _expiry);
            if (_options.DepthLevels > 0)
            {
                foreach (BookSide side in new[] { BookSide.Bid, BookSide.Ask })
                {
                    int s = BookImage.SideIndex(outcome, side);
                    var entries = new SortedSetEntry[image.Counts[s]];
                    for (int l = 0; l < entries.Length; l++)
                    {
                        PriceLevel level = image.Sides[s][l];
                        entries[l] = new SortedSetEntry($"{BookImage.Format(level.Price)}:{BookImage.Format(level.Quantity)}", level.Price.Micros / 1_000_000.0);
                    }

                    batch.ReplaceSortedSet(_depthKeys[k][(int)side], entries, _expiry);
                }
            }

            batch.Publish(_keys.UpdatesChannel, JsonSerializer.Serialize(new
            {
                venue,
                market,
                outcome = outcome.ToWireName(),
                bid = hasBid ? BookImage.Format(bid.Price) : null,
                bid_size = hasBid ? BookImage.Format(bid.Quantity) : null,
                ask = hasAsk ? BookImage.Format(ask.Price) : null,
                ask_size = hasAsk ? BookImage.Format(ask.Quantity) : null,
                seq = image.Sequence,
                epoch = image.Epoch,
                stale = image.Stale,
                ts = image.VenueTimestampMs,
            }));
        }
    }

    /// <summary>Keeps the books of live venues from expiring while their markets are quiet; a dead venue's books are left to expire.</summary>
    private void RefreshLiveBooks(RedisStore.Batch batch)
    {
        BookStore books = _kernel.Books;
        for (int i = 0; i < _images.Length; i++)
        {
            MarketBook book = books[new MarketHandle(i)];
            if (_kernel.Venues[book.VenueIndex].Status != VenueStatus.Connected)
            {
                continue;
            }

            for (int o = 0; o < 2; o++)
            {
                int k = (i * 2) + o;
                batch.Expire(_bookKeys[k], _expiry);
                if (_options.DepthLevels > 0)
                {
                    batch.Expire(_depthKeys[k][0], _expiry);
                    batch.Expire(_depthKeys[k][1], _expiry);
                }
            }
        }
    }

    private void WriteHeartbeat(RedisStore.Batch batch)
    {
        MirrorStatus status = Status();
        string key = _keys.Engine(_engineId);
        var strategies = new StringBuilder("{");
        foreach ((string name, string version) in _strategies())
        {
            strategies.Append(strategies.Length > 1 ? "," : "").Append(JsonSerializer.Serialize(name)).Append(':').Append(JsonSerializer.Serialize(version));
        }

        strategies.Append('}');
        long updates = 0;
        foreach (VenueCounters venue in _kernel.Venues)
        {
            updates += venue.Deltas + venue.Snapshots;
        }

        batch.HashSet(key,
        [
            new HashEntry("id", _engineId),
            new HashEntry("version", typeof(RedisMirror).Assembly.GetName().Version?.ToString() ?? "0"),
            new HashEntry("schema", RedisKeys.SchemaVersion),
            new HashEntry("started_ms", _startedMs),
            new HashEntry("updated_ms", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()),
            new HashEntry("book_updates", updates),
            new HashEntry("books", _images.Length),
            new HashEntry("mirror_writes_per_s", status.WritesPerSecond.ToString("0.0", CultureInfo.InvariantCulture)),
            new HashEntry("mirror_lag_p50_ms", status.LagP50Ms.ToString("0.000", CultureInfo.InvariantCulture)),
            new HashEntry("mirror_lag_p99_ms", status.LagP99Ms.ToString("0.000", CultureInfo.InvariantCulture)),
            new HashEntry("strategies", strategies.ToString()),
        ]);
        batch.Expire(key, TimeSpan.FromSeconds(10));
        batch.SetAdd(_keys.EnginesSet, _engineId);
    }

    private void WriteStreams(RedisStore.Batch batch)
    {
        for (int n = 0; n < 1000 && _opportunities.TryDequeue(out IntentGroup? group); n++)
        {
            string legs = JsonSerializer.Serialize(group.Legs.Select(l => new
            {
                venue = _bookNames[l.Market.Value * 2].Venue,
                market = _bookNames[l.Market.Value * 2].Market,
                outcome = l.Outcome.ToWireName(),
                side = l.Side == OrderSide.Buy ? "buy" : "sell",
                price = l.LimitPrice.ToString(),
                size = l.Quantity.ToString(),
                tif = l.TimeInForce.ToString(),
                post_only = l.PostOnly,
            }));
            batch.StreamAdd(_keys.OpportunitiesStream, StreamLength,
            [
                ("id", group.Id.ToString(CultureInfo.InvariantCulture)),
                ("strategy", group.Strategy),
                ("event", group.EventId),
                ("action", group.Action == IntentAction.Place ? "place" : "cancel"),
                ("edge", group.ExpectedEdge.ToString()),
                ("size", group.Legs.Count > 0 ? group.Legs[0].Quantity.ToString() : "0"),
                ("legs", legs),
                ("reason", group.Reason),
                ("ts", group.CreatedMs.ToString(CultureInfo.InvariantCulture)),
                ("engine", _engineId),
            ]);
        }

        for (int n = 0; n < 1000 && _fills.TryDequeue(out Fill? fill); n++)
        {
            batch.StreamAdd(_keys.FillsStream, StreamLength,
            [
                ("venue", _bookNames[fill.Market.Value * 2].Venue),
                ("market", _bookNames[fill.Market.Value * 2].Market),
                ("outcome", fill.Outcome.ToWireName()),
                ("side", fill.Side == OrderSide.Buy ? "buy" : "sell"),
                ("price", fill.Price.ToString()),
                ("size", fill.Quantity.ToString()),
                ("fee", fill.Fee.ToString()),
                ("maker", fill.IsMaker ? "1" : "0"),
                ("client_order_id", fill.ClientOrderId),
                ("trade_id", fill.TradeId),
                ("ts", fill.TimestampMs.ToString(CultureInfo.InvariantCulture)),
                ("engine", _engineId),
            ]);
        }
    }
}
