using System.Collections.Concurrent;
using System.Diagnostics;
using ArbBot.Abstractions.Events;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Abstractions.Plugins;
using ArbBot.Venues.Sim.Matching;
using ArbBot.Venues.Sim.Model;

namespace ArbBot.Venues.Sim;

/// <summary>
/// One simulated venue: its books, quote process and matching engine, all driven by one thread
/// so no state is shared. Commands (subscribe, snapshot requests, orders, cancels) queue up and
/// run on that thread when due; orders and cancels are due after the configured latency.
/// </summary>
internal sealed class SimVenue
{
    private readonly SimSettings _settings;
    private readonly VenueContext _context;
    private readonly SimQuoter _quoter;
    private readonly SimMatchingEngine _matching;
    private readonly FairValue _fair;
    private readonly Dictionary<string, SimBook> _books = new(StringComparer.Ordinal);
    private readonly Dictionary<MarketHandle, SimBook> _byHandle = new();
    private readonly List<SimBook> _subscribed = new();
    private readonly ConcurrentQueue<(long DueMs, Action<long> Work)> _commands = new();
    private readonly object _lifecycle = new();
    private Thread? _thread;
    private volatile bool _stopping;
    private int _users;
    private long _deltaCount;
    private int _cursor;

    public SimVenue(SimSettings settings, VenueContext context)
    {
        _settings = settings;
        _context = context;
        var fair = new FairValue(settings.Seed, settings.Events, settings.JumpsPerMinute, settings.JumpSize.Micros, settings.GroupOutcomes, settings.GroupMovesPerMinute);
        _fair = fair;

        // Sizes differ per venue; the fair value path is what venues with one seed share.
        int sizeSeed = (int)(FairValue.Hash(settings.Seed, (ulong)settings.Style, 7, 7) & 0x7FFFFFFF);
        _quoter = new SimQuoter(settings, fair, new Random(sizeSeed));
        // Ids carry the start time, like a real venue's they never repeat across restarts.
        string idPrefix = $"{context.VenueName}-{context.Clock.GetUtcNow().ToUnixTimeMilliseconds():x}";
        Account = new SimAccount(context.Executions, settings.Style);
        _matching = new SimMatchingEngine(settings.Style, settings.Tick, settings.FeeRate, Account, idPrefix);
        for (int e = 0; e < settings.TotalMarkets; e++)
        {
            string id = settings.MarketId(e);
            _books[id] = new SimBook(e, id, settings.Style);
        }
    }

    public string Name => _context.VenueName;

    /// <summary>The account as this venue records it (orders, fills, positions), for reconciliation.</summary>
    public SimAccount Account { get; }

    public BookStyle BookStyle => _settings.Style == SimStyle.Kalshi ? BookStyle.BidsOnly : BookStyle.TwoSided;

    /// <summary>Registers a connector or executor using this venue; starts the thread on first use.</summary>
    public void AddUser()
    {
        lock (_lifecycle)
        {
            _users++;
            if (_thread is null)
            {
                _thread = new Thread(Run) { IsBackground = true, Name = $"sim-{Name}" };
                _thread.Start();
            }
        }
    }

    /// <summary>Releases a user; the last one stops the thread. Returns true when the venue stopped.</summary>
    public bool RemoveUser()
    {
        Thread? thread;
        lock (_lifecycle)
        {
            if (--_users > 0)
            {
                return false;
            }

            _stopping = true;
            thread = _thread;
        }

        thread?.Join();
        _context.Books.OnVenueStatus(VenueStatus.Stopped, "simulation stopped");
        return true;
    }

    public void Subscribe(IReadOnlyList<MarketSubscription> markets) => Enqueue(0, now => SubscribeNow(markets, now));

    /// <summary>Stops publishing these markets; completes once the simulation thread has dropped them (nothing about them is sent after).</summary>
    public Task Unsubscribe(IReadOnlyList<MarketHandle> markets)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(0, _ =>
        {
            foreach (MarketHandle handle in markets)
            {
                if (_byHandle.Remove(handle, out SimBook? book))
                {
                    _subscribed.Remove(book);
                    book.Pending.Clear();
                }
            }

            done.TrySetResult();
        });
        return done.Task;
    }

    public void RequestSnapshot(MarketHandle market) => Enqueue(0, now =>
    {
        if (_byHandle.TryGetValue(market, out SimBook? book))
        {
            SendSnapshot(book, now);
        }
    });

    public void Place(OrderRequest order) => Enqueue(_settings.OrderLatencyMs, now =>
    {
        Account.Placed(order);
        SimBook? book = _books.TryGetValue(order.MarketId, out SimBook? b) && _subscribed.Contains(b) ? b : null;
        _matching.Submit(book, order, now);
        if (book is not null)
        {
            Publish(book, now);
        }
    });

    public void Cancel(string clientOrderId) => Enqueue(_settings.OrderLatencyMs, now => _matching.Cancel(clientOrderId, now));

    private void Enqueue(long delayMs, Action<long> work) => _commands.Enqueue((NowMs() + delayMs, work));

    private long NowMs() => _context.Clock.GetUtcNow().ToUnixTimeMilliseconds();

    private void Run()
    {
        _context.Books.OnVenueStatus(VenueStatus.Connected, $"simulated {_settings.Style} venue, {_settings.Events} events" + (_settings.Groups > 0 ? $" and {_settings.Groups} outcome groups of {_settings.GroupOutcomes}" : ""));
        long start = Stopwatch.GetTimestamp();
        long emitted = 0;
        long maxBurst = Math.Max(1, _settings.UpdatesPerSecond / 20);
        int failures = 0;
        while (!_stopping)
        {
            long now = NowMs();
            try
            {
                while (_commands.TryPeek(out var head) && head.DueMs <= now && _commands.TryDequeue(out var command))
                {
                    command.Work(now);
                }

                _matching.ExpireDue(now);
                ResolveDue(now);

                if (_subscribed.Count > 0)
                {
                    long due = (long)(Stopwatch.GetElapsedTime(start).Ticks * (Int128)_settings.UpdatesPerSecond / TimeSpan.TicksPerSecond);
                    if (due - emitted > maxBurst)
                    {
                        emitted = due - maxBurst; // fell behind (machine busy): skip ahead instead of bursting forever
                    }

                    for (; emitted < due && !_stopping; emitted++)
                    {
                        UpdateOne(now);
                    }
                }
            }
            catch (Exception ex)
            {
                // A bug in the simulator must not silently stop the feed: report it (a few times) and go on.
                if (++failures <= 5)
                {
                    _context.Log.Error($"simulation step failed: {ex.Message}", ex);
                }
            }

            Thread.Sleep(1);
        }
    }

    private void SubscribeNow(IReadOnlyList<MarketSubscription> markets, long now)
    {
        foreach (MarketSubscription sub in markets)
        {
            if (!_books.TryGetValue(sub.MarketId, out SimBook? book))
            {
                _context.Log.Error($"market {sub.MarketId} is not listed on this simulated venue (it lists {_settings.MarketId(0)} to {_settings.MarketId(_settings.Events - 1)}{(_settings.Groups > 0 ? $", and {_settings.MarketId(_settings.Events)} to {_settings.MarketId(_settings.TotalMarkets - 1)}" : "")}); its book stays stale");
                continue;
            }

            if ((sub.YesId is not null && sub.YesId != sub.MarketId + "-YES") || (sub.NoId is not null && sub.NoId != sub.MarketId + "-NO"))
            {
                _context.Log.Error($"market {sub.MarketId}: outcome ids must be {sub.MarketId}-YES and {sub.MarketId}-NO on this simulated venue, were {sub.YesId} and {sub.NoId}; its book stays stale");
                continue;
            }

            book.Handle = sub.Handle;
            _byHandle[sub.Handle] = book;
            if (!_subscribed.Contains(book))
            {
                _subscribed.Add(book);
                _quoter.Requote(book, Outcome.Yes, now, perturb: false);
                _quoter.Requote(book, Outcome.No, now, perturb: false);
                book.Pending.Clear(); // the engine asks for a snapshot of a new market: these first levels need no deltas
                book.Pending.TrimExcess(); // and their room stays unused: 10,000 markets kept 8 MB of it
                if (_settings.SettleEverySeconds > 0)
                {
                    // The first round that ends a whole period after now: no market resolves moments after it opened.
                    book.NextRound = Math.Max(0, ((now + PeriodMs - OffsetMs(book)) / PeriodMs) + 1);
                }
            }

            SendSnapshot(book, now);
        }
    }

    private long PeriodMs => _settings.SettleEverySeconds * 1000L;

    /// <summary>Events end their rounds staggered across the period, not all at once; a group's outcomes end together.</summary>
    private long OffsetMs(SimBook book)
    {
        int first = book.EventIndex < _settings.Events
            ? book.EventIndex
            : _settings.Events + ((book.EventIndex - _settings.Events) / _settings.GroupOutcomes * _settings.GroupOutcomes);
        return PeriodMs * first / _settings.TotalMarkets;
    }

    /// <summary>
    /// Markets whose round has ended resolve: resting orders there end, the engine is told the
    /// winner (positions settle), the account records it, and a new round opens with a fresh book.
    /// </summary>
    private void ResolveDue(long now)
    {
        if (_settings.SettleEverySeconds == 0)
        {
            return;
        }

        foreach (SimBook book in _subscribed)
        {
            long endMs = (book.NextRound * PeriodMs) + OffsetMs(book);
            if (book.NextRound < 0 || now < endMs)
            {
                continue;
            }

            Outcome winner = _fair.Winner(book.EventIndex, book.NextRound, endMs);
            _matching.CancelMarket(book.MarketId, $"market resolved {winner.ToWireName()}", now);
            Account.Resolved(book.MarketId);
            _context.Books.OnMarketResolved(book.Handle, winner, endMs);
            book.NextRound++;
            SendSnapshot(book, now); // the next round trades on
        }
    }

    private void UpdateOne(long now)
    {
        int index = _cursor++;
        SimBook book = _subscribed[index % _subscribed.Count];
        Outcome outcome = (index / _subscribed.Count) % 2 == 0 ? Outcome.Yes : Outcome.No;
        _quoter.Requote(book, outcome, now, perturb: true);
        Publish(book, now);
    }

    /// <summary>Lets resting orders react to the changes, then sends the changes to the engine.</summary>
    private void Publish(SimBook book, long now)
    {
        if (book.Pending.Count == 0)
        {
            return;
        }

        _matching.OnBookChanged(book, book.Pending, now);
        long received = Stopwatch.GetTimestamp();
        IVenueEventSink sink = _context.Books;
        List<LevelChange> changes = book.Pending;
        bool resync = false;
        for (int i = 0; i < changes.Count; i++)
        {
            LevelChange c = changes[i];
            Price price = Price.FromMicros(c.PriceMicros);
            bool lost = _settings.GapEvery > 0 && ++_deltaCount % _settings.GapEvery == 0;
            if (_settings.Style == SimStyle.Kalshi)
            {
                if (lost)
                {
                    book.Sequence++; // a message lost on the wire: the engine sees the sequence jump
                }

                var delta = new BookDelta(book.Handle, c.Outcome, c.Side, price, Quantity.FromMicros(c.NewQuantityMicros - c.OldQuantityMicros), DeltaKind.Add, ++book.Sequence, now, received);
                sink.OnBookDelta(delta);
            }
            else if (lost)
            {
                // No sequence numbers on this style: like Polymarket's book hash, the connector notices the drift itself.
                resync = true;
            }
            else
            {
                var delta = new BookDelta(book.Handle, c.Outcome, c.Side, price, Quantity.FromMicros(c.NewQuantityMicros), DeltaKind.Set, 0, now, received, isLastInBatch: i == changes.Count - 1);
                sink.OnBookDelta(delta);
            }
        }

        if (resync)
        {
            sink.OnBookInvalidated(book.Handle, "book hash mismatch");
            SendSnapshot(book, now);
        }

        changes.Clear();
    }

    private void SendSnapshot(SimBook book, long now)
    {
        PriceLevel[] Levels(Outcome o, BookSide s)
        {
            SortedLevels side = book.Side(o, s);
            var levels = new PriceLevel[side.Count];
            for (int i = 0; i < levels.Length; i++)
            {
                levels[i] = new PriceLevel(Price.FromMicros(side.PriceAt(i)), Quantity.FromMicros(side.QuantityAt(i)));
            }

            return levels;
        }

        _context.Books.OnBookSnapshot(new BookSnapshot(
            book.Handle,
            book.Sequence,
            now,
            Stopwatch.GetTimestamp(),
            Levels(Outcome.Yes, BookSide.Bid),
            Levels(Outcome.Yes, BookSide.Ask),
            Levels(Outcome.No, BookSide.Bid),
            Levels(Outcome.No, BookSide.Ask),
            _settings.Tick));
    }
}
