using ArbBot.Abstractions.Events;
using ArbBot.Abstractions.Orders;
using ArbBot.Abstractions.Strategies;
using ArbBot.Engine.Books;
using ArbBot.Engine.Execution;
using ArbBot.Engine.Kernel;
using ArbBot.Engine.Orders;
using ArbBot.Engine.Strategies;
using Microsoft.Extensions.Logging;

namespace ArbBot.Engine.Pipeline;

/// <summary>
/// The engine's decision path, written once. The kernel applies each venue event to the books and
/// then hands it here, where the stages run in this fixed order:
/// <list type="number">
/// <item>positions: fills (each venue trade id once, <see cref="FillGate"/>) and order updates reach the inventory first;</item>
/// <item>strategies: run on the changed book (or their fill, or their group's fate) and write intent groups to the <see cref="IntentQueue"/>;</item>
/// <item>risk and orders: the <see cref="ExecutionEngine"/> puts every queued group through the risk engine and sends what passes;</item>
/// <item>simulated venues: the paper executors match resting orders against the new book;</item>
/// <item>observers: the opportunity log, the Redis mirror, the pair watch, metrics. They see what was decided and cannot change it.</item>
/// </list>
/// Kernel thread only.
/// </summary>
public sealed class DecisionPipeline : IKernelListener
{
    // Rounds of strategy reactions handled in one event (a strategy re-quoting when its group ends); more wait for the next event.
    private const int MaxRounds = 2;

    private readonly Inventory _positions;
    private readonly StrategyHost _strategies;
    private readonly IntentQueue _intents;
    private readonly ExecutionEngine _execution;
    private readonly OpportunityLog _opportunities;
    private readonly ILogger _logger;
    private readonly List<IntentGroupUpdate> _updates = new();
    private IKernelListener[] _venueSimulators = [];
    private IKernelListener[] _controls = [];
    private IKernelListener[] _observers = [];
    private long _observerErrors;

    /// <summary>Composes the pipeline; <paramref name="intents"/> is the queue the strategies were given.</summary>
    public DecisionPipeline(Inventory positions, StrategyHost strategies, IntentQueue intents, ExecutionEngine execution, OpportunityLog opportunities, ILogger logger)
    {
        _positions = positions;
        _strategies = strategies;
        _intents = intents;
        _execution = execution;
        _opportunities = opportunities;
        _logger = logger;
    }

    /// <summary>Adds a simulated venue (a paper executor): it sees each event after the decisions on it.</summary>
    public void AddVenueSimulator(IKernelListener simulator) => _venueSimulators = [.. _venueSimulators, simulator];

    /// <summary>Adds an execution control that runs after the decisions (the account reconciler).</summary>
    public void AddControl(IKernelListener control) => _controls = [.. _controls, control];

    /// <summary>Adds an observer (mirror, pair watch, metrics, a test's probe): it sees each event last.</summary>
    public void AddObserver(IKernelListener observer) => _observers = [.. _observers, observer];

    /// <summary>Puts <paramref name="replacement"/> in the place of <paramref name="observer"/> (a mirror rebuilt over more books). Kernel thread.</summary>
    public void ReplaceObserver(IKernelListener observer, IKernelListener replacement) =>
        _observers = _observers.Select(o => ReferenceEquals(o, observer) ? replacement : o).ToArray();

    /// <inheritdoc/>
    public void OnBookUpdated(MarketBook book)
    {
        _strategies.OnBookUpdated(book);
        Decide();
        After(book);
    }

    /// <inheritdoc/>
    public void OnOrderUpdate(int venueIndex, OrderUpdate update)
    {
        _positions.OnOrderUpdate(venueIndex, update);
        _execution.OnOrderUpdate(venueIndex, update);
        Decide();
        foreach (IKernelListener listener in _controls)
        {
            listener.OnOrderUpdate(venueIndex, update);
        }

        foreach (IKernelListener listener in _venueSimulators)
        {
            listener.OnOrderUpdate(venueIndex, update);
        }

        Observe(static (o, a) => o.OnOrderUpdate(a.VenueIndex, a.Update), (VenueIndex: venueIndex, Update: update));
    }

    /// <inheritdoc/>
    public void OnFill(int venueIndex, Fill fill)
    {
        if (!_execution.Admit(venueIndex, fill))
        {
            return; // this venue trade id came before: counted once, and a strategy never hedges one fill twice
        }

        _positions.OnFill(venueIndex, fill);
        _strategies.OnFill(venueIndex, fill); // what a strategy emits for its own fill is a hedge: it reduces risk
        int eventIndex = _execution.OnFill(fill);
        Decide();
        _execution.Policy.Check(eventIndex, _execution.Clock.GetTimestamp()); // after the hedges went: an order in flight is waited for
        foreach (IKernelListener listener in _controls)
        {
            listener.OnFill(venueIndex, fill);
        }

        foreach (IKernelListener listener in _venueSimulators)
        {
            listener.OnFill(venueIndex, fill);
        }

        Observe(static (o, a) => o.OnFill(a.VenueIndex, a.Fill), (VenueIndex: venueIndex, Fill: fill));
    }

    /// <inheritdoc/>
    public void OnTimer(long nowTimestamp)
    {
        _positions.OnTimer(nowTimestamp);
        Decide();
        _execution.OnTimer(nowTimestamp);
        foreach (IKernelListener listener in _controls)
        {
            listener.OnTimer(nowTimestamp);
        }

        foreach (IKernelListener listener in _venueSimulators)
        {
            listener.OnTimer(nowTimestamp);
        }

        Observe(static (o, now) => o.OnTimer(now), nowTimestamp);
    }

    /// <inheritdoc/>
    public void OnTrade(MarketBook book, in TradePrint trade)
    {
        foreach (IKernelListener listener in _venueSimulators)
        {
            listener.OnTrade(book, trade);
        }

        foreach (IKernelListener observer in _observers)
        {
            try
            {
                observer.OnTrade(book, trade);
            }
            catch (Exception ex)
            {
                ObserverFailed(observer, ex);
            }
        }
    }

    /// <inheritdoc/>
    public void OnTicker(MarketBook book) => Observe(static (o, b) => o.OnTicker(b), book);

    /// <inheritdoc/>
    public void OnMarketResolved(MarketBook book, MarketResolution resolution)
    {
        _execution.Settle(book, resolution.Winner, resolution.VenueTimestampMs);
        Decide();
        foreach (IKernelListener listener in _controls)
        {
            listener.OnMarketResolved(book, resolution);
        }

        foreach (IKernelListener listener in _venueSimulators)
        {
            listener.OnMarketResolved(book, resolution);
        }

        Observe(static (o, a) => o.OnMarketResolved(a.Book, a.Resolution), (Book: book, Resolution: resolution));
    }

    /// <summary>
    /// Risk and orders for every queued group, then the strategies hear what became of their groups
    /// (and may react: that round is decided too; further reactions wait for the next event).
    /// </summary>
    private void Decide()
    {
        if (_intents.IsEmpty && !_execution.HasGroupUpdates)
        {
            return; // the usual book update: nothing was emitted, nothing to tell
        }

        for (int round = 0; round < MaxRounds; round++)
        {
            if (!_intents.IsEmpty)
            {
                IReadOnlyList<IntentGroup> batch = _intents.TakeAll();
                _execution.Execute(batch);
                for (int i = 0; i < batch.Count; i++)
                {
                    _opportunities.Record(batch[i]); // an observer: it counts and logs what was decided
                }
            }

            if (!_execution.TakeGroupUpdates(_updates))
            {
                return;
            }

            foreach (IntentGroupUpdate update in _updates)
            {
                _strategies.OnIntentUpdate(update);
            }

            _updates.Clear();
            if (_intents.IsEmpty)
            {
                return;
            }
        }
    }

    private void After(MarketBook book)
    {
        foreach (IKernelListener listener in _venueSimulators)
        {
            listener.OnBookUpdated(book);
        }

        IKernelListener[] observers = _observers;
        for (int i = 0; i < observers.Length; i++)
        {
            try
            {
                observers[i].OnBookUpdated(book);
            }
            catch (Exception ex)
            {
                ObserverFailed(observers[i], ex);
            }
        }
    }

    private void Observe<T>(Action<IKernelListener, T> call, T args)
    {
        foreach (IKernelListener observer in _observers)
        {
            try
            {
                call(observer, args);
            }
            catch (Exception ex)
            {
                ObserverFailed(observer, ex);
            }
        }
    }

    private void ObserverFailed(IKernelListener observer, Exception ex)
    {
        // An observer's failure never reaches a decision; the first few are logged, all are counted.
        if (++_observerErrors <= 10)
        {
            _logger.LogError(ex, "observer {Observer} threw; the engine goes on", observer.GetType().Name);
        }
    }
}
