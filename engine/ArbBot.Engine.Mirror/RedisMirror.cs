using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ArbBot.Abstractions.Events;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Abstractions.Strategies;
using ArbBot.Engine.Control;
using ArbBot.Engine.Books;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Kernel;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace ArbBot.Engine.Mirror;

/// <summary>
/// Mirrors the engine into Redis for other processes (redis-cli, dashboards, users' scripts), never
/// on the decision path. On each book update the kernel only flags the book (no lock, no copy, no
/// allocation). The mirror's own thread repeatedly asks the kernel to copy every flagged book in
/// one go (so changes coalesce when updates outpace Redis: only the latest state is written), then
/// writes what changed in one pipeline, preparing the next round while Redis works on this one,
/// and measures the lag
/// from the first unwritten change to Redis's acknowledgement. Expiries make a dead feed's books
/// disappear. Redis down at start or mid-run changes nothing for trading: the mirror waits, and on
/// (re)connect writes the full current state again.
/// </summary>
public sealed class RedisMirror : IKernelListener, IDisposable
{
    private const int StreamLength = 10_000;
    private static readonly TimeSpan HeartbeatExpiry = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan KillKeyPoll = TimeSpan.FromMilliseconds(200);
    private static readonly Outcome[] s_outcomes = [Outcome.Yes, Outcome.No];
    private static readonly BookSide[] s_sides = [BookSide.Bid, BookSide.Ask];
    private readonly RedisOptions _options;
    private readonly RedisKeys _keys;
    private readonly string _engineId;
    private readonly EngineKernel _kernel;
    private readonly ILogger _logger;
    private readonly TimeSpan _expiry;
    private readonly BookImage[] _images; // filled at the first connection (AllocateImages)
    private readonly string[][] _bookKeys;
    private readonly (string Venue, string Market)[] _names;
    private readonly System.Collections.Concurrent.ConcurrentQueue<IntentGroup> _opportunities = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<Fill> _fills = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<Execution.Alerts.Alert> _alerts = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<Execution.AttemptOutcome> _outcomes = new();
    private readonly LagRecorder _lags = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<IReadOnlyList<(string Name, string Version)>> _strategies;
    private readonly long _startedMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    // Kernel-thread state: which books changed since the last flush, and when they first changed.
    private readonly bool[] _flagged;
    private readonly WrittenBook[] _inRedis; // writer thread: what each book looks like in Redis now
    private readonly long[] _firstChange;
    private readonly int[] _flaggedList;
    private int _flaggedCount;

    // Handed from the kernel to the writer by a flush: the books copied into _images.
    private readonly int[] _copied;
    private readonly Func<int> _flush;
    private readonly Func<int> _flagAll;

    private readonly System.Buffers.ArrayBufferWriter<byte> _updates = new(64 * 1024);
    private readonly char[] _depthBuffer;
    private readonly List<HashEntry> _fields = new(16);
    private volatile RedisStore? _store;
    private Thread? _writer;
    private volatile string _state = "connecting";
    private EngineLayout? _layoutWritten; // writer thread: the pairs and fees in Redis now (null: write them)
    private Task<RedisValue>? _engineKillRead;
    private Task<HashEntry[]>? _killRead;
    private long _globalKillSeen = -1; // writer thread: the last global kill generation applied (-1: none read yet)
    private (long Generation, string Verb, long PostedAt)? _globalKillToAck;
    private volatile bool _caughtUp;
    private long _booksWritten;
    private long _rateStart = Stopwatch.GetTimestamp();
    private long _rateCount;
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
        int count = books.Count;
        _images = new BookImage[count];
        _bookKeys = new string[count][];
        _names = new (string, string)[count];
        _flagged = new bool[count];
        _inRedis = new WrittenBook[count];
        _depthBuffer = new char[Math.Max(1, options.DepthLevels) * 2 * (Abstractions.FixedPoint.FixedDecimal.MaxFormattedLength + 2)];
        _firstChange = new long[count];
        _flaggedList = new int[count];
        _copied = new int[count];
        for (int i = 0; i < count; i++)
        {
            MarketBook book = books[new MarketHandle(i)];
            _names[i] = (book.VenueName, book.MarketId);
            _bookKeys[i] = [_keys.Book(book.VenueName, book.MarketId, Outcome.Yes), _keys.Book(book.VenueName, book.MarketId, Outcome.No)];
        }

        _flush = CopyFlaggedBooks;
        _flagAll = FlagAllBooks;
    }

    /// <summary>Connected, and every change so far written and acknowledged (for tests and tools).</summary>
    public bool IsCaughtUp => _store?.IsConnected == true && _caughtUp;

    /// <summary>Starts the writer thread, which connects (and keeps trying) on its own.</summary>
    public void Start()
    {
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "arbbot-redis-mirror" };
        _writer.Start();
    }

    /// <summary>What the mirror is doing now.</summary>
    public MirrorStatus Status()
    {
        (double p50, double p99) = _lags.Percentiles();
        return new MirrorStatus(_state, Interlocked.Read(ref _booksWritten), Volatile.Read(ref _writesPerSecond), p50, p99, Interlocked.Read(ref _resyncs));
    }

    /// <summary>
    /// What the engine publishes about itself with each heartbeat (scalar fields, status JSON, pairs
    /// and fees; see <see cref="EnginePublication"/>); null, or a null result, writes the mirror's own fields only.
    /// </summary>
    public Func<EnginePublication?>? Publication { get; set; }

    /// <summary>Queues an attempt's outcome for the <c>outcomes</c> stream (any thread).</summary>
    public void OnAttemptEnded(Execution.AttemptOutcome outcome) => _outcomes.Enqueue(outcome);

    /// <summary>Queues an alert for the <c>alerts</c> stream (any thread).</summary>
    public void OnAlert(Execution.Alerts.Alert alert) => _alerts.Enqueue(alert);

    /// <summary>
    /// Where the kill keys' commands go (read and deleted in one step by the writer thread every
    /// <see cref="KillKeyPoll"/>): the engine's control input. Set before <see cref="Start"/>; null drops them.
    /// </summary>
    public ControlInbox? Control { get; set; }

    /// <summary>The kill switch's state now ("off", "halt" or "flatten"), for acknowledging global kill commands; set before <see cref="Start"/>.</summary>
    public Func<string>? KillState { get; set; }

    /// <summary>Queues a detected opportunity for the <c>opps</c> stream (any thread).</summary>
    public void OnOpportunity(IntentGroup group) => _opportunities.Enqueue(group);

    /// <inheritdoc/>
    public void OnBookUpdated(MarketBook book) => Flag(book.Handle.Value, book.LastUpdateTimestamp);

    /// <inheritdoc/>
    public void OnTrade(MarketBook book, in TradePrint trade) => Flag(book.Handle.Value, Stopwatch.GetTimestamp());

    /// <inheritdoc/>
    public void OnTicker(MarketBook book) => Flag(book.Handle.Value, Stopwatch.GetTimestamp());

    private void Flag(int i, long changedAt)
    {
        if (!_flagged[i])
        {
            _flagged[i] = true;
            _firstChange[i] = changedAt;
            _flaggedList[_flaggedCount++] = i;
            _caughtUp = false;
        }
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

    /// <summary>Stops the writer and closes the connection.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _writer?.Join(TimeSpan.FromSeconds(5));
        _store?.Dispose();
    }

    /// <summary>
    /// Writer thread, at the first connection: the books' images and what Redis holds of them (with depth, about 1.5 KB
    /// a book: 15 MB for 10,000). Not before: an engine whose Redis never answers never needs them. The kernel touches an
    /// image only in <see cref="CopyFlaggedBooks"/>, which runs after this thread's request to it (a full fence).
    /// </summary>
    private void AllocateImages()
    {
        int levels = Math.Max(1, _options.DepthLevels);
        for (int i = 0; i < _images.Length; i++)
        {
            _images[i] ??= new BookImage(levels);
            _inRedis[i] ??= new WrittenBook(levels);
        }
    }

    /// <summary>Kernel thread, on the writer's request: copy every flagged book into its image.</summary>
    private int CopyFlaggedBooks()
    {
        int n = _flaggedCount;
        BookStore books = _kernel.Books;
        for (int k = 0; k < n; k++)
        {
            int i = _flaggedList[k];
            _images[i].Capture(books[new MarketHandle(i)], _firstChange[i]);
            _flagged[i] = false;
            _copied[k] = i;
        }

        _flaggedCount = 0;
        return n;
    }

    /// <summary>Kernel thread: flag every book (a full sync after connecting); rewrites carry no lag sample.</summary>
    private int FlagAllBooks()
    {
        for (int i = 0; i < _flagged.Length; i++)
        {
            if (!_flagged[i])
            {
                _flagged[i] = true;
                _firstChange[i] = 0;
                _flaggedList[_flaggedCount++] = i;
            }
        }

        return _flaggedCount;
    }

    /// <summary>Longest wait for Redis to take one round of writes before the mirror calls it stalled.</summary>
    private static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(5);

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

        bool wasConnected = false;
        bool warned = false;
        string? failingKind = null; // a write failed and none has succeeded since: the state says why, not "connected"
        long failures = 0, lastFailureLog = 0;
        bool refusedLogged = false;
        long lastRefresh = 0;
        long lastHeartbeat = 0;
        long lastKillPoll = 0;

        // A write went through after failures: say so once, and the state is true again.
        void Recovered()
        {
            if (failingKind is not null)
            {
                _logger.LogInformation("redis mirror: writes to {Connection} succeed again after {Failures} failed rounds; the full state is written", _options.Connection, failures);
                failingKind = null;
                failures = 0;
                _state = "connected";
            }
        }

        // One round may be in flight while the next is prepared: formatting overlaps Redis's work.
        Round current = new(_images.Length);
        Round? inFlight = null;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                if (!_store.IsConnected)
                {
                    bool refused = _store.AuthenticationRefused;
                    if (wasConnected || !warned || (refused && !refusedLogged))
                    {
                        if (refused)
                        {
                            _logger.LogWarning("redis mirror: {Connection} refused the authentication (check redis.password_env); the engine runs on and the mirror keeps trying", _options.Connection);
                        }
                        else
                        {
                            _logger.LogWarning("redis mirror: no connection to {Connection}; the engine runs on and the mirror keeps trying", _options.Connection);
                        }
                        warned = true;
                        refusedLogged |= refused;
                    }

                    wasConnected = false;
                    inFlight = null;
                    _state = refused
                        ? $"not connected: {_options.Connection} refused the authentication: check redis.password_env (retrying)"
                        : $"not connected: no Redis answering at {_options.Connection} (retrying)";
                    _stop.Token.WaitHandle.WaitOne(100);
                    continue;
                }

                if (!wasConnected)
                {
                    // (Re)connected: the server may be new and empty. Write everything.
                    AllocateImages();
                    foreach (WrittenBook book in _inRedis)
                    {
                        book.Complete = false;
                    }

                    _layoutWritten = null;
                    _kernel.InvokeAsync(_flagAll).GetAwaiter().GetResult();
                    wasConnected = true;
                    Interlocked.Increment(ref _resyncs);
                    if (failingKind is null)
                    {
                        _state = "connected";
                        _logger.LogInformation("redis mirror: connected to {Connection}; writing the full state ({Books} books)", _options.Connection, _images.Length);
                    }
                }

                int copied = _kernel.InvokeAsync(_flush).GetAwaiter().GetResult();
                long now = Stopwatch.GetTimestamp();
                RedisStore.Batch batch = _store.NewBatch();
                current.Books = copied;
                if (copied > 0)
                {
                    _updates.Clear();
                    using (var json = new Utf8JsonWriter(_updates))
                    {
                        json.WriteStartArray();
                        for (int k = 0; k < copied; k++)
                        {
                            WriteBook(batch, _copied[k], json);
                            current.Changed[k] = _images[_copied[k]].ChangedTimestamp;
                        }

                        json.WriteEndArray();
                    }

                    batch.Publish(_keys.UpdatesChannel, Encoding.UTF8.GetString(_updates.WrittenSpan));
                }

                if (_killRead is { IsCompleted: true } read && _engineKillRead is { IsCompleted: true } engineRead)
                {
                    _killRead = null;
                    _engineKillRead = null;
                    if (read.Status == TaskStatus.RanToCompletion)
                    {
                        TakeGlobalKill(read.Result);
                    }

                    if (engineRead.Status == TaskStatus.RanToCompletion && !engineRead.Result.IsNull)
                    {
                        Control?.Post(new ControlCommand(engineRead.Result.ToString() ?? "", "redis"));
                    }
                }

                if (_killRead is null && Stopwatch.GetElapsedTime(lastKillPoll, now) >= KillKeyPoll)
                {
                    // The shared key becomes a global command (whichever engine sees it first), then the global
                    // command is read (in the same round, after): every engine applies each new generation.
                    // This engine's own key is taken as before.
                    lastKillPoll = now;
                    batch.Evaluate(GlobalKill.PromoteScript, [_keys.KillKey, _keys.GlobalKillKey], [$"engine {_engineId}", GlobalKill.Now()]);
                    _killRead = batch.HashGetAll(_keys.GlobalKillKey);
                    _engineKillRead = batch.TakeString(_keys.EngineKillKey(_engineId));
                    AcknowledgeGlobalKill(batch);
                }

                if (Stopwatch.GetElapsedTime(lastRefresh, now) > _expiry / 4)
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
                    if (inFlight is not null)
                    {
                        Complete(inFlight);
                        (current, inFlight) = (inFlight, null);
                        Recovered();
                        continue;
                    }

                    _caughtUp = true;
                    _stop.Token.WaitHandle.WaitOne(1);
                    continue;
                }

                current.Write = batch.ExecuteAsync();
                if (inFlight is not null)
                {
                    Complete(inFlight);
                    (current, inFlight) = (inFlight, current);
                    Recovered();
                }
                else
                {
                    inFlight = current;
                    current = new Round(_images.Length);
                }
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                // Nothing is lost: write everything again once Redis answers (it may have restarted).
                // The state says what is true (out of memory, stalled, refused), and the log says it
                // when it changes and then once a minute with a count, not on every retry.
                (string kind, string description) = RedisStore.Describe(ex);
                failures++;
                long nowTicks = Stopwatch.GetTimestamp();
                if (kind != failingKind || Stopwatch.GetElapsedTime(lastFailureLog, nowTicks) >= TimeSpan.FromMinutes(1))
                {
                    _logger.LogWarning("redis mirror: {Description} ({Message}); {Count} failed rounds so far; the full state will be written again once Redis takes it",
                        description, ex.Message, failures);
                    lastFailureLog = nowTicks;
                }

                failingKind = kind;
                _state = description;
                wasConnected = false;
                inFlight = null;
                _stop.Token.WaitHandle.WaitOne(kind is "oom" or "stalled" ? 1000 : 100);
            }
            catch (InvalidOperationException) when (_stop.IsCancellationRequested)
            {
                return; // the kernel stopped first
            }
            catch (InvalidOperationException ex) when (ex.Message.Contains("kernel has stopped", StringComparison.Ordinal))
            {
                return;
            }
            catch (Exception ex) when (!_stop.IsCancellationRequested)
            {
                // The mirror must never die quietly: log, wait a little, and write the full state again.
                _logger.LogError(ex, "redis mirror: unexpected error; retrying with a full write");
                wasConnected = false;
                inFlight = null;
                _stop.Token.WaitHandle.WaitOne(500);
            }
        }
    }

    /// <summary>Waits for a round's acknowledgement and records its lags and counts.</summary>
    /// <summary>Waits for a write up to <see cref="WriteTimeout"/>; false if it is still pending (its failure is rethrown by the caller).</summary>
    private static bool WaitBounded(Task write)
    {
        try
        {
            return write.Wait(WriteTimeout);
        }
        catch (AggregateException)
        {
            return true; // done, with an error
        }
    }

    private void Complete(Round round)
    {
        // A paused Redis never answers and the client's asynchronous calls have no timeout of their own: bound the wait.
        Task write = round.Write!;
        if (!((IAsyncResult)write).IsCompleted && !WaitBounded(write))
        {
            throw new TimeoutException($"Redis took no write for {WriteTimeout.TotalSeconds:0} s");
        }

        write.GetAwaiter().GetResult(); // the write's own exception, if it failed
        long acknowledged = Stopwatch.GetTimestamp();
        for (int k = 0; k < round.Books; k++)
        {
            if (round.Changed[k] != 0)
            {
                _lags.Add(acknowledged - round.Changed[k]);
            }
        }

        Interlocked.Add(ref _booksWritten, round.Books);
        _rateCount += round.Books;
        double seconds = Stopwatch.GetElapsedTime(_rateStart).TotalSeconds;
        if (seconds >= 1)
        {
            Volatile.Write(ref _writesPerSecond, _rateCount / seconds);
            _rateStart = Stopwatch.GetTimestamp();
            _rateCount = 0;
        }
    }

    /// <summary>One write round: the books it carries (with when each first changed) and its pending acknowledgement.</summary>
    private sealed class Round(int capacity)
    {
        public long[] Changed { get; } = new long[capacity];

        public int Books { get; set; }

        public Task? Write { get; set; }
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

    /// <summary>
    /// One book: for each outcome one HSET of what changed since the last write (a side's best
    /// price, size and depth only when that side changed; sequence, epoch, times and flags always),
    /// so a reader's HGETALL is always one consistent version; and the book's entry in the round's
    /// change message. The first write on a connection sends every field.
    /// </summary>
    /// <summary>The last trade (told for this outcome) and the venue's running totals, where known.</summary>
    private static void AddTape(List<HashEntry> fields, BookImage image, Outcome outcome)
    {
        if (image.LastTrade.Size.Micros > 0)
        {
            TradePrint trade = image.LastTrade.As(outcome);
            fields.Add(new("last", trade.Price.ToString()));
            fields.Add(new("last_size", trade.Size.ToString()));
            fields.Add(new("last_side", trade.Aggressor == OrderSide.Buy ? "buy" : "sell"));
            fields.Add(new("last_ts", trade.VenueTimestampMs));
        }

        if (image.Ticker?.Volume is { } volume)
        {
            fields.Add(new("volume", volume.ToString()));
        }

        if (image.Ticker?.OpenInterest is { } openInterest)
        {
            fields.Add(new("open_interest", openInterest.ToString()));
        }
    }

    private void WriteBook(RedisStore.Batch batch, int index, Utf8JsonWriter json)
    {
        BookImage image = _images[index];
        WrittenBook written = _inRedis[index];
        (string venue, string market) = _names[index];
        bool complete = written.Complete;
        long updated = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        json.WriteStartObject();
        json.WriteString("venue", venue);
        json.WriteString("market", market);
        json.WriteNumber("seq", image.Sequence);
        json.WriteNumber("epoch", image.Epoch);
        json.WriteBoolean("stale", image.Stale);
        json.WriteNumber("ts", image.VenueTimestampMs);
        List<HashEntry> fields = _fields;
        var flags = (image.Sequence, image.Epoch, image.Stale, image.Crossed);
        bool flagsChanged = !complete || written.Flags != flags;
        written.Flags = flags;
        bool tapeChanged = !complete || written.Tape != (image.LastTrade, image.Ticker);
        written.Tape = (image.LastTrade, image.Ticker);
        foreach (Outcome outcome in s_outcomes)
        {
            fields.Clear();
            fields.Add(new("seq", image.Sequence));
            fields.Add(new("epoch", image.Epoch));
            fields.Add(new("ts", image.VenueTimestampMs));
            fields.Add(new("updated_ms", updated));
            fields.Add(new("stale", image.Stale ? 1 : 0));
            fields.Add(new("crossed", image.Crossed ? 1 : 0));
            if (!complete)
            {
                fields.Add(new("venue", venue));
                fields.Add(new("market", market));
                fields.Add(new("outcome", outcome.ToWireName()));
                fields.Add(new("engine", _engineId));
            }

            if (tapeChanged)
            {
                AddTape(fields, image, outcome);
            }

            bool sideChanged = false;
            foreach (BookSide side in s_sides)
            {
                int s = BookImage.SideIndex(outcome, side);
                if (!written.TakeIfChanged(image, s))
                {
                    continue;
                }

                sideChanged = true;
                bool any = image.TryGetLevel(outcome, side, 0, out PriceLevel best);
                written.Best[s] = any ? best.Price.ToString() : "";
                written.BestSize[s] = any ? best.Quantity.ToString() : "";
                string name = side == BookSide.Bid ? "bid" : "ask";
                fields.Add(new(name, written.Best[s]));
                fields.Add(new(name + "_size", written.BestSize[s]));
                if (_options.DepthLevels > 0)
                {
                    written.Depth[s] = Depth(image, outcome, side);
                    fields.Add(new(side == BookSide.Bid ? "bids" : "asks", written.Depth[s]));
                }
            }

            // An outcome whose levels and book-level fields are as written needs no command at all
            // (on a two-sided venue a change touches one outcome's book).
            if (flagsChanged || sideChanged || tapeChanged)
            {
                batch.HashSet(_bookKeys[index][(int)outcome], fields.ToArray());
            }

            int bidSide = BookImage.SideIndex(outcome, BookSide.Bid);
            int askSide = BookImage.SideIndex(outcome, BookSide.Ask);
            json.WriteStartObject(outcome.ToWireName());
            WriteOrNull(json, "bid", written.Best[bidSide]);
            WriteOrNull(json, "bid_size", written.BestSize[bidSide]);
            WriteOrNull(json, "ask", written.Best[askSide]);
            WriteOrNull(json, "ask_size", written.BestSize[askSide]);
            json.WriteEndObject();
        }

        json.WriteEndObject();

        // A key keeps its expiry across HSET: set it on the first write of a connection; the
        // refresh loop extends it while the feed lives.
        if (!complete)
        {
            written.Complete = true;
            batch.Expire(_bookKeys[index][0], _expiry);
            batch.Expire(_bookKeys[index][1], _expiry);
        }
    }

    private static void WriteOrNull(Utf8JsonWriter json, string name, string value)
    {
        if (value.Length > 0)
        {
            json.WriteString(name, value);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    /// <summary>"price:size price:size ...", best level first, formatted without intermediate strings.</summary>
    private string Depth(BookImage image, Outcome outcome, BookSide side)
    {
        int s = BookImage.SideIndex(outcome, side);
        Span<char> text = _depthBuffer;
        int length = 0;
        for (int l = 0; l < image.Counts[s]; l++)
        {
            PriceLevel level = image.Sides[s][l];
            if (l > 0)
            {
                text[length++] = ' ';
            }

            level.Price.TryFormat(text[length..], out int written, default, CultureInfo.InvariantCulture);
            length += written;
            text[length++] = ':';
            level.Quantity.TryFormat(text[length..], out written, default, CultureInfo.InvariantCulture);
            length += written;
        }

        return new string(text[..length]);
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

            foreach (string key in _bookKeys[i])
            {
                batch.Expire(key, _expiry);
            }
        }
    }

    /// <summary>
    /// Applies a global kill generation other than the one applied last. The first read after
    /// start applies a standing halt or flatten (an engine started during a global halt starts
    /// halted) but not a standing clear, which would release a halt engaged here by <c>arbbot kill</c>.
    /// Any other number counts as new, lower ones too: a Redis restarted empty numbers from 1 again.
    /// </summary>
    private void TakeGlobalKill(HashEntry[] fields)
    {
        GlobalKillCommand global = GlobalKill.Parse(fields);
        if (global.Generation == 0)
        {
            _globalKillSeen = 0; // no command (or a Redis that lost it): whatever comes next is new
            return;
        }

        if (global.Generation == _globalKillSeen)
        {
            return;
        }

        var command = new ControlCommand(global.Command, "redis (global)");
        bool first = _globalKillSeen < 0;
        _globalKillSeen = global.Generation;
        if (first && command.Verb is not ("halt" or "flatten"))
        {
            return;
        }

        Control?.Post(command);
        _globalKillToAck = (global.Generation, command.Verb, Stopwatch.GetTimestamp());
    }

    /// <summary>
    /// Acknowledges the global generation applied, once the kill switch shows it (or, if something
    /// else changed the switch meanwhile, a second later with the state it has): the ack says what is true.
    /// </summary>
    private void AcknowledgeGlobalKill(RedisStore.Batch batch)
    {
        if (_globalKillToAck is not { } pending || KillState is not { } state)
        {
            return;
        }

        string now = state();
        bool shown = pending.Verb == "clear" ? now == "off" : pending.Verb == "flatten" ? now == "flatten" : now != "off";
        if (!shown && Stopwatch.GetElapsedTime(pending.PostedAt) < TimeSpan.FromSeconds(1))
        {
            return;
        }

        batch.HashSet(_keys.KillAcksKey, [new HashEntry(_engineId, new KillAck(_engineId, pending.Generation, now, GlobalKill.Now()).Format())]);
        _globalKillToAck = null;
    }

    private void WriteHeartbeat(RedisStore.Batch batch)
    {
        MirrorStatus status = Status();
        string key = _keys.Engine(_engineId);
        long updates = 0;
        foreach (VenueCounters venue in _kernel.Venues)
        {
            updates += venue.Deltas + venue.Snapshots;
        }

        long nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var fields = new List<HashEntry>(48)
        {
            new("id", _engineId),
            new("version", typeof(RedisMirror).Assembly.GetName().Version?.ToString() ?? "0"),
            new("schema", RedisKeys.SchemaVersion),
            new("started_ms", _startedMs),
            new("started_at", IsoTime(_startedMs)),
            new("updated_ms", nowMs),
            new("updated_at", IsoTime(nowMs)),
            new("book_updates", updates),
            new("books", _images.Length),
            new("mirror_state", status.State),
            new("mirror_writes_per_s", status.WritesPerSecond.ToString("0.0", CultureInfo.InvariantCulture)),
            new("mirror_lag_p50_ms", status.LagP50Ms.ToString("0.000", CultureInfo.InvariantCulture)),
            new("mirror_lag_p99_ms", status.LagP99Ms.ToString("0.000", CultureInfo.InvariantCulture)),
            new("strategies", string.Join(' ', _strategies().Select(s => $"{s.Name}:{s.Version}"))),
            new("kill_generation", Math.Max(_globalKillSeen, 0)),
        };
        EnginePublication? publication = Publication?.Invoke();
        foreach ((string name, string value) in publication?.Fields ?? [])
        {
            fields.Add(new HashEntry(name, value));
        }

        batch.HashSet(key, fields.ToArray());
        batch.Expire(key, HeartbeatExpiry);
        batch.SetAdd(_keys.EnginesSet, _engineId);
        if (publication is null)
        {
            return;
        }

        batch.StringSet(_keys.EngineStatus(_engineId), publication.StatusJson, HeartbeatExpiry);
        if (!ReferenceEquals(publication.Layout, _layoutWritten))
        {
            WriteLayout(batch, publication.Layout);
        }

        batch.Expire(_keys.EnginePairs(_engineId), HeartbeatExpiry);
        foreach (KeyValuePair<string, IReadOnlyList<KeyValuePair<string, string>>> venue in publication.Layout.Fees)
        {
            batch.Expire(_keys.EngineFees(_engineId, venue.Key), HeartbeatExpiry);
        }
    }

    /// <summary>Replaces the pairs and fee keys with a new layout (a venue no longer configured loses its fee key).</summary>
    private void WriteLayout(RedisStore.Batch batch, EngineLayout layout)
    {
        batch.Delete(_keys.EnginePairs(_engineId));
        if (layout.Pairs.Count > 0)
        {
            batch.HashSet(_keys.EnginePairs(_engineId), layout.Pairs.Select(p => new HashEntry(p.Key, p.Value)).ToArray());
        }

        foreach (KeyValuePair<string, IReadOnlyList<KeyValuePair<string, string>>> venue in _layoutWritten?.Fees ?? [])
        {
            batch.Delete(_keys.EngineFees(_engineId, venue.Key));
        }

        foreach (KeyValuePair<string, IReadOnlyList<KeyValuePair<string, string>>> venue in layout.Fees)
        {
            batch.Delete(_keys.EngineFees(_engineId, venue.Key));
            batch.HashSet(_keys.EngineFees(_engineId, venue.Key), venue.Value.Select(f => new HashEntry(f.Key, f.Value)).ToArray());
        }

        // Taken as written now; a failed round sends the mirror through a reconnect, which forgets it.
        _layoutWritten = layout;
    }

    /// <summary>Unix milliseconds as an ISO 8601 UTC time, for people reading Redis by hand.</summary>
    private static string IsoTime(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private void WriteStreams(RedisStore.Batch batch)
    {
        for (int n = 0; n < 1000 && _opportunities.TryDequeue(out IntentGroup? group); n++)
        {
            string legs = JsonSerializer.Serialize(group.Legs.Select(l => new
            {
                venue = _names[l.Market.Value].Venue,
                market = _names[l.Market.Value].Market,
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
                ("at", IsoTime(group.CreatedMs)),
                ("engine", _engineId),
            ]);
        }

        for (int n = 0; n < 1000 && _alerts.TryDequeue(out Execution.Alerts.Alert? alert); n++)
        {
            batch.StreamAdd(_keys.AlertsStream, StreamLength,
            [
                ("level", alert.Level),
                ("kind", alert.Kind),
                ("event", alert.EventId ?? ""),
                ("message", alert.Message),
                ("ts", alert.TimestampMs.ToString(CultureInfo.InvariantCulture)),
                ("at", IsoTime(alert.TimestampMs)),
                ("engine", _engineId),
            ]);
        }

        for (int n = 0; n < 1000 && _outcomes.TryDequeue(out Execution.AttemptOutcome? outcome); n++)
        {
            batch.StreamAdd(_keys.OutcomesStream, StreamLength,
            [
                ("id", outcome.GroupId.ToString(CultureInfo.InvariantCulture)),
                ("strategy", outcome.Strategy),
                ("event", outcome.EventId),
                ("outcome", outcome.Outcome),
                ("detail", outcome.Detail),
                ("ts", outcome.TimestampMs.ToString(CultureInfo.InvariantCulture)),
                ("at", IsoTime(outcome.TimestampMs)),
                ("engine", _engineId),
            ]);
        }

        for (int n = 0; n < 1000 && _fills.TryDequeue(out Fill? fill); n++)
        {
            (string venue, string market) = fill.Market.Value < _names.Length ? _names[fill.Market.Value] : ("?", "?");
            batch.StreamAdd(_keys.FillsStream, StreamLength,
            [
                ("venue", venue),
                ("market", market),
                ("outcome", fill.Outcome.ToWireName()),
                ("side", fill.Side == OrderSide.Buy ? "buy" : "sell"),
                ("price", fill.Price.ToString()),
                ("size", fill.Quantity.ToString()),
                ("fee", fill.Fee.ToString()),
                ("maker", fill.IsMaker ? "1" : "0"),
                ("client_order_id", fill.ClientOrderId),
                ("trade_id", fill.TradeId),
                ("ts", fill.TimestampMs.ToString(CultureInfo.InvariantCulture)),
                ("at", IsoTime(fill.TimestampMs)),
                ("engine", _engineId),
            ]);
        }
    }
}
