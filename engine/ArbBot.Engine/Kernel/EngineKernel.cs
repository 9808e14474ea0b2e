using System.Diagnostics;
using ArbBot.Abstractions.Events;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Engine.Books;
using Microsoft.Extensions.Logging;

namespace ArbBot.Engine.Kernel;

/// <summary>
/// The single-threaded event loop of one shard. Connectors post events from their own threads
/// into a lock-free bounded ring (<see cref="KernelQueue"/>); one dedicated thread applies them to
/// the <see cref="BookStore"/> and calls the listeners. Book state is touched by that thread only,
/// so nothing on the hot path locks. When the ring is full, posting waits (back-pressure toward
/// the connectors) and each wait is counted.
/// </summary>
public sealed class EngineKernel : IAsyncDisposable
{
    private readonly ThreadedLoop? _threaded; // live: its own thread over a bounded ring
    private readonly InlineLoop? _inline; // replay: the caller's thread, events handled as posted
    private readonly List<IKernelListener> _listeners = new();
    private Action<MarketBook>[] _bookListeners = []; // delegates, not interface calls: one indirect call each on the hot path
    private IKernelListener[] _bookListenerOwners = [];
    private readonly ILogger _logger;
    private readonly TimeSpan _timerInterval;
    private readonly List<VenueCounters> _venues = new();
    private readonly TimeProvider _clock;
    private readonly bool _timesOnReceipt;
    private long _marketTime; // receipt time of the latest market event, never going back (see MarketTime)
    private Thread? _thread;
    private ITimer? _timer;
    private long _eventsProcessed;
    private int _queueDepthMax;
    private long _listenerErrors;
    private readonly List<(MarketHandle Market, string Reason)> _drifted = new();

    /// <summary>Creates a kernel over a book store, on the system clock, with its own thread.</summary>
    public EngineKernel(BookStore books, int capacity, TimeSpan timerInterval, ILogger logger)
        : this(books, capacity, timerInterval, logger, TimeProvider.System, inline: false)
    {
    }

    /// <summary>
    /// Creates a kernel over a book store. <paramref name="clock"/> gives "now" and drives the
    /// timer (a virtual clock during replay). An <paramref name="inline"/> kernel has no thread:
    /// whoever calls <see cref="StartInline"/> is the kernel thread and runs queued events with
    /// <see cref="RunPending"/>; its queue is unbounded, since the poster is also the reader.
    /// </summary>
    public EngineKernel(BookStore books, int capacity, TimeSpan timerInterval, ILogger logger, TimeProvider clock, bool inline)
    {
        Books = books;
        Capacity = capacity;
        _timerInterval = timerInterval;
        _logger = logger;
        _clock = clock;
        _timesOnReceipt = ReferenceEquals(clock, TimeProvider.System); // connectors stamp receipts on the system clock; a replay's clock is already at each record's time
        if (inline)
        {
            _inline = new InlineLoop(Handle);
        }
        else
        {
            _threaded = new ThreadedLoop(capacity, Handle);
        }
    }

    /// <summary>The engine's clock: every "now" the kernel and its listeners use comes from it.</summary>
    public TimeProvider Clock => _clock;

    /// <summary>The books this kernel owns. Read them only from the kernel thread (listeners, commands).</summary>
    public BookStore Books { get; }

    /// <summary>Queue capacity as configured (an own-thread kernel's ring rounds it up to a power of two).</summary>
    public int Capacity { get; }

    /// <summary>
    /// How long the kernel thread keeps polling an empty queue before it blocks (0: block at
    /// once). Polling keeps a core busy but saves the thread wake-up (several microseconds here)
    /// on the next event. Set before <see cref="Start"/>.
    /// </summary>
    public TimeSpan IdleSpin { get; set; }

    /// <summary>Receipt-to-applied latencies of recent book updates (kernel thread).</summary>
    public LatencyWindow Latency { get; } = new();

    /// <summary>Catches books that drifted from the venue's ticker. Configure before <see cref="Start"/>.</summary>
    public DriftWatch Drift { get; set; } = new();

    /// <summary>Times a poster found the queue full and had to wait.</summary>
    public long BackPressureWaits => _threaded?.BackPressureWaits ?? 0;

    /// <summary>Events handled so far.</summary>
    public long EventsProcessed => Volatile.Read(ref _eventsProcessed);

    /// <summary>Deepest the queue has been, sampled on each timer tick.</summary>
    public int QueueDepthMax => Volatile.Read(ref _queueDepthMax);

    /// <summary>Exceptions thrown by listeners (each caught; the loop goes on).</summary>
    public long ListenerErrors => Volatile.Read(ref _listenerErrors);

    /// <summary>Per-venue counters, by venue index.</summary>
    public IReadOnlyList<VenueCounters> Venues => _venues;

    /// <summary>Whether this kernel runs inline on its caller's thread (replay) rather than on its own.</summary>
    public bool IsInline => _inline is not null;

    /// <summary>Whether the calling thread is the kernel thread.</summary>
    public bool IsKernelThread => Thread.CurrentThread == _thread;

    /// <summary>Adds a venue's counters; returns its venue index. Call before <see cref="Start"/>.</summary>
    public int AddVenue(string venueName)
    {
        _venues.Add(new VenueCounters(venueName));
        return _venues.Count - 1;
    }

    /// <summary>Adds a listener. Call before <see cref="Start"/>.</summary>
    public void AddListener(IKernelListener listener)
    {
        _listeners.Add(listener);
        if (listener.WantsBookUpdates)
        {
            _bookListeners = [.. _bookListeners, listener.OnBookUpdated];
            _bookListenerOwners = [.. _bookListenerOwners, listener];
        }
    }

    /// <summary>Starts the loop thread and the timer.</summary>
    public void Start()
    {
        if (_threaded is null)
        {
            throw new InvalidOperationException("an inline kernel is started with StartInline");
        }

        _thread = _threaded.Start(IdleSpin);
        _timer = _clock.CreateTimer(_ => TryPostTimer(), null, _timerInterval, _timerInterval);
    }

    /// <summary>Starts an inline kernel: the calling thread becomes the kernel thread, and the timer runs on the clock.</summary>
    public void StartInline()
    {
        if (_inline is null)
        {
            throw new InvalidOperationException("this kernel runs its own thread; call Start");
        }

        _thread = Thread.CurrentThread;
        _timer = _clock.CreateTimer(_ => TryPostTimer(), null, _timerInterval, _timerInterval);
    }

    /// <summary>Inline kernels: handles every queued event, including those posted while handling. Returns how many.</summary>
    public int RunPending() => (_inline ?? throw new InvalidOperationException("RunPending is for inline kernels")).RunPending();

    /// <summary>
    /// Queues an event. Waits while the queue is full (counted in <see cref="BackPressureWaits"/>).
    /// Returns false once the kernel is stopping.
    /// </summary>
    public bool Post(in KernelEvent item) => _threaded?.Post(item) ?? _inline!.Post(item, Thread.CurrentThread == _thread);

    /// <summary>Runs a function on the kernel thread and returns its result (for tests and tools; not for the hot path).</summary>
    public Task<T> InvokeAsync<T>(Func<T> work)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        bool posted = Post(KernelEvent.ForCommand(() =>
        {
            try
            {
                completion.SetResult(work());
            }
            catch (Exception ex)
            {
                completion.SetException(ex);
            }
        }));
        if (!posted)
        {
            completion.TrySetException(new InvalidOperationException("the kernel has stopped"));
        }

        return completion.Task;
    }

    /// <summary>Stops accepting events, drains what is queued, and joins the thread.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_timer is not null)
        {
            await _timer.DisposeAsync().ConfigureAwait(false);
        }

        if (_threaded is not null)
        {
            await _threaded.StopAsync().ConfigureAwait(false);
        }

        _inline?.Stop();
    }

    private void TryPostTimer()
    {
        int depth = _threaded?.Depth ?? _inline!.Depth;
        if (depth > Volatile.Read(ref _queueDepthMax))
        {
            Volatile.Write(ref _queueDepthMax, depth);
        }

        // A timer tick is not worth blocking a timer thread for: skip it when the queue is full.
        _ = _threaded?.TryPost(KernelEvent.ForTimer()) ?? _inline!.TryPost(KernelEvent.ForTimer());
    }

    /// <summary>The one place every event is handled, whichever loop delivered it.</summary>
    private void Handle(in KernelEvent item)
    {
        HandleOne(item);
        _eventsProcessed++;
    }

    private void HandleOne(in KernelEvent item)
    {
        long now = _clock.GetTimestamp();
        if (item.VenueIndex >= 0 && item.Kind is not (KernelEventKind.Timer or KernelEventKind.Command))
        {
            VenueCounters from = _venues[item.VenueIndex];
            from.LastMessageTimestamp = now;
            if (from.Silent)
            {
                Resumed(from);
            }
        }

        switch (item.Kind)
        {
            case KernelEventKind.BookDelta:
                HandleDelta(item, now);
                break;
            case KernelEventKind.BookSnapshot:
                HandleSnapshot(item, now);
                break;
            case KernelEventKind.BookInvalidated:
                if (Books.Contains(item.Market))
                {
                    _venues[item.VenueIndex].Invalidations++;
                    Books.Invalidate(item.Market, item.Text ?? "invalidated by connector");
                    NotifyBookUpdated(Books[item.Market]); // listeners see it go stale (quotes pulled, mirror flagged)
                }
                else
                {
                    _venues[item.VenueIndex].Rejected++;
                }

                break;
            case KernelEventKind.VenueStatus:
                VenueCounters counters = _venues[item.VenueIndex];
                var status = (VenueStatus)item.Payload!;
                if (status == VenueStatus.Connected && counters.Status != VenueStatus.Connected)
                {
                    counters.Reconnects += counters.EverConnected ? 1 : 0;
                    counters.EverConnected = true;
                }

                counters.Status = status;
                counters.StatusDetail = item.Text ?? "";
                break;
            case KernelEventKind.OrderUpdate:
                _venues[item.VenueIndex].OrderUpdates++;
                foreach (IKernelListener listener in _listeners)
                {
                    Guard(listener, static (l, e) => l.OnOrderUpdate(e.VenueIndex, (OrderUpdate)e.Payload!), item);
                }

                break;
            case KernelEventKind.Fill:
                _venues[item.VenueIndex].Fills++;
                foreach (IKernelListener listener in _listeners)
                {
                    Guard(listener, static (l, e) => l.OnFill(e.VenueIndex, (Fill)e.Payload!), item);
                }

                break;
            case KernelEventKind.Timer:
                CheckDrift(now);
                CheckSilence(now);
                foreach (IKernelListener listener in _listeners)
                {
                    try
                    {
                        listener.OnTimer(now);
                    }
                    catch (Exception ex)
                    {
                        OnListenerError(listener, ex);
                    }
                }

                break;
            case KernelEventKind.MarketFees:
                if (Books.Contains(item.Market) && Books[item.Market].VenueIndex == item.VenueIndex)
                {
                    Books[item.Market].Fees = (Abstractions.Fees.IFeeModel)item.Payload!;
                }

                break;
            case KernelEventKind.Trade:
                HandleTrade(item);
                break;
            case KernelEventKind.MarketResolved:
                HandleResolution(item);
                break;
            case KernelEventKind.Ticker:
                HandleTicker(item, now);
                break;
            case KernelEventKind.VenueTop:
                HandleVenueTop(item);
                break;
            case KernelEventKind.Command:
                try
                {
                    ((Action)item.Payload!)();
                }
                catch (Exception ex)
                {
                    _logger.LogError(ex, "kernel command failed");
                }

                break;
        }
    }

    private void HandleResolution(in KernelEvent item)
    {
        if (!Books.Contains(item.Market) || Books[item.Market].VenueIndex != item.VenueIndex)
        {
            _venues[item.VenueIndex].Rejected++;
            return;
        }

        MarketBook book = Books[item.Market];
        var resolution = (MarketResolution)item.Payload!;
        Books.Invalidate(item.Market, $"resolved {resolution.Winner.ToWireName()}");
        NotifyBookUpdated(book); // strategies and the mirror see it stop trading
        foreach (IKernelListener listener in _listeners)
        {
            try
            {
                listener.OnMarketResolved(book, resolution);
            }
            catch (Exception ex)
            {
                OnListenerError(listener, ex);
            }
        }
    }

    private void HandleTrade(in KernelEvent item)
    {
        if (!Books.Contains(item.Market) || Books[item.Market].VenueIndex != item.VenueIndex)
        {
            _venues[item.VenueIndex].Rejected++;
            return;
        }

        MarketBook book = Books[item.Market];
        TradePrint trade = item.Trade;
        book.RecordTrade(trade);
        _venues[item.VenueIndex].Trades++;
        _venues[item.VenueIndex].LastUpdateTimestamp = _clock.GetTimestamp();
        for (int i = 0; i < _listeners.Count; i++)
        {
            try
            {
                _listeners[i].OnTrade(book, trade);
            }
            catch (Exception ex)
            {
                OnListenerError(_listeners[i], ex);
            }
        }
    }

    private void HandleTicker(in KernelEvent item, long now)
    {
        if (!Books.Contains(item.Market) || Books[item.Market].VenueIndex != item.VenueIndex)
        {
            _venues[item.VenueIndex].Rejected++;
            return;
        }

        MarketBook book = Books[item.Market];
        var ticker = (TickerUpdate)item.Payload!;
        book.RecordTicker(ticker);
        Drift.OnTicker(book, ticker, now);
        for (int i = 0; i < _listeners.Count; i++)
        {
            try
            {
                _listeners[i].OnTicker(book);
            }
            catch (Exception ex)
            {
                OnListenerError(_listeners[i], ex);
            }
        }
    }

    private void HandleVenueTop(in KernelEvent item)
    {
        if (!Books.Contains(item.Market) || Books[item.Market].VenueIndex != item.VenueIndex)
        {
            _venues[item.VenueIndex].Rejected++;
            return;
        }

        MarketBook book = Books[item.Market];
        (Outcome outcome, Price bid, Price ask) = item.VenueTop;
        if (Drift.OnVenueTop(book, outcome, bid, ask) is { } reason)
        {
            Drifted(book, reason);
        }
    }

    private void CheckDrift(long now)
    {
        _drifted.Clear();
        Drift.Check(Books, now, _drifted);
        foreach ((MarketHandle market, string reason) in _drifted)
        {
            Drifted(Books[market], reason);
        }
    }

    /// <summary>How long a connected venue may send nothing before it counts as silent (zero: never).</summary>
    public TimeSpan SilentAfter { get; set; }

    /// <summary>Raised on the kernel thread when a venue goes silent (true, with why) or is heard again (false).</summary>
    public event Action<VenueCounters, bool, string>? SilenceChanged;

    /// <summary>
    /// A connected venue that sent nothing for <see cref="SilentAfter"/> is silent: a frozen feed or a
    /// half-open connection looks connected and sends nothing, so nothing else would ever mark its
    /// books stale. Its books are made stale (no order uses them) and asked for again.
    /// </summary>
    private void CheckSilence(long now)
    {
        if (SilentAfter <= TimeSpan.Zero)
        {
            return;
        }

        long limit = (long)(SilentAfter.TotalSeconds * _clock.TimestampFrequency);
        for (int v = 0; v < _venues.Count; v++)
        {
            VenueCounters venue = _venues[v];
            if (venue.Silent || venue.Status != VenueStatus.Connected || venue.LastMessageTimestamp == 0 || now - venue.LastMessageTimestamp < limit)
            {
                continue;
            }

            venue.Silent = true;
            venue.Silences++;
            string reason = $"no message from {venue.VenueName} for {SilentAfter.TotalSeconds:0.#} s (a frozen feed or a half-open connection)";
            _logger.LogWarning("{Reason}: its books are stale until it is heard again", reason);
            for (int m = 0; m < Books.Count; m++)
            {
                MarketBook book = Books[new MarketHandle(m)];
                if (book.VenueIndex == v && !book.IsStale)
                {
                    Books.Invalidate(book.Handle, reason);
                    NotifyBookUpdated(book);
                    RequestResync?.Invoke(v, book.Handle, reason);
                }
            }

            SilenceChanged?.Invoke(venue, true, reason);
        }
    }

    private void Resumed(VenueCounters venue)
    {
        venue.Silent = false;
        int index = _venues.IndexOf(venue);
        _logger.LogInformation("{Venue} is heard again; its books come back with their next snapshots", venue.VenueName);
        for (int m = 0; m < Books.Count; m++)
        {
            MarketBook book = Books[new MarketHandle(m)];
            if (book.VenueIndex == index && book.IsStale)
            {
                RequestResync?.Invoke(book.VenueIndex, book.Handle, "the venue is heard again");
            }
        }

        SilenceChanged?.Invoke(venue, false, $"{venue.VenueName} is heard again");
    }

    /// <summary>A book no longer matches the venue's: stale until the fresh snapshot asked for arrives.</summary>
    private void Drifted(MarketBook book, string reason)
    {
        _venues[book.VenueIndex].Drifts++;
        _logger.LogWarning("{Venue} {Market}: {Reason}; asking for a fresh snapshot", book.VenueName, book.MarketId, reason);
        Books.Invalidate(book.Handle, reason);
        NotifyBookUpdated(book);
        RequestResync?.Invoke(book.VenueIndex, book.Handle, reason);
    }

    /// <summary>
    /// The time a market event's book is stamped with, which is the "now" strategies decide on:
    /// when the connector received it (not when the kernel got to it), never earlier than the
    /// event before. A recording stamps the message with the same time, the same way
    /// (<c>NativeRecordingWriter</c> in ArbBot.Engine.Storage), so a replay decides at the same times as
    /// the live run, whatever the queue's delay was. Kernel time when there is no receipt stamp.
    /// </summary>
    private long MarketTime(long received, long now)
    {
        if (!_timesOnReceipt || received <= 0 || received > now)
        {
            return now;
        }

        _marketTime = Math.Max(_marketTime, received);
        return _marketTime;
    }

    private void HandleDelta(in KernelEvent item, long now)
    {
        VenueCounters counters = _venues[item.VenueIndex];
        ApplyResult result = Books.ApplyDelta(item.Delta, MarketTime(item.Delta.ReceivedTimestamp, now));
        switch (result)
        {
            case ApplyResult.Applied:
                counters.Deltas++;
                counters.LastUpdateTimestamp = now;
                if (item.Delta.IsLastInBatch)
                {
                    if (item.Delta.ReceivedTimestamp > 0)
                    {
                        Latency.Record(now - item.Delta.ReceivedTimestamp);
                    }

                    NotifyBookUpdated(Books[item.Delta.Market]);
                }

                break;
            case ApplyResult.IgnoredStale:
                counters.StaleDrops++;
                break;
            case ApplyResult.SequenceGap:
            case ApplyResult.NegativeLevel:
                counters.Gaps++;
                NotifyBookUpdated(Books[item.Delta.Market]);
                RequestResync?.Invoke(item.VenueIndex, item.Delta.Market, result == ApplyResult.SequenceGap ? "sequence gap" : "level went negative");
                break;
            default:
                counters.Rejected++;
                break;
        }
    }

    private void HandleSnapshot(in KernelEvent item, long now)
    {
        var snapshot = (BookSnapshot)item.Payload!;
        VenueCounters counters = _venues[item.VenueIndex];
        if (Books.ApplySnapshot(snapshot, MarketTime(snapshot.ReceivedTimestamp, now)) == ApplyResult.Applied)
        {
            counters.Snapshots++;
            counters.LastUpdateTimestamp = now;
            NotifyBookUpdated(Books[snapshot.Market]);
        }
        else
        {
            counters.Rejected++;
        }
    }

    /// <summary>
    /// Called on the kernel thread when the store finds a book broken (gap, negative level), so
    /// the engine can ask that venue's connector for a snapshot. Set before <see cref="Start"/>.
    /// </summary>
    public Action<int, Abstractions.Markets.MarketHandle, string>? RequestResync { get; set; }

    private void NotifyBookUpdated(MarketBook book)
    {
        Action<MarketBook>[] listeners = _bookListeners;
        for (int i = 0; i < listeners.Length; i++)
        {
            try
            {
                listeners[i](book);
            }
            catch (Exception ex)
            {
                OnListenerError(_bookListenerOwners[i], ex);
            }
        }
    }

    private void Guard(IKernelListener listener, Action<IKernelListener, KernelEvent> call, in KernelEvent item)
    {
        try
        {
            call(listener, item);
        }
        catch (Exception ex)
        {
            OnListenerError(listener, ex);
        }
    }

    private void OnListenerError(IKernelListener listener, Exception ex)
    {
        // Count every failure but log only the first few, so a broken listener cannot flood the log.
        long errors = ++_listenerErrors;
        if (errors <= 10)
        {
            _logger.LogError(ex, "listener {Listener} threw; the event goes on to the next listener", listener.GetType().Name);
        }
    }
}
