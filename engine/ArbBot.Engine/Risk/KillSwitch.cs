using ArbBot.Engine.Control;
using ArbBot.Engine.Execution.Alerts;
using Microsoft.Extensions.Logging;

namespace ArbBot.Engine.Risk;

/// <summary>
/// The engine's kill switch. Engaged from three places: <c>arbbot kill</c> (writes the state
/// store), the engine's <see cref="ControlInbox"/> (commands carried by the Redis kill keys or the
/// dashboard: <c>halt</c>, <c>flatten</c> or <c>clear</c>, optionally followed by <c>:reason</c>),
/// and the engine itself when a loss limit trips. The store is the truth: it survives restarts
/// until cleared. A poller thread checks both every <see cref="PollInterval"/>.
/// </summary>
public sealed class KillSwitch : IDisposable
{
    /// <summary>How often the store and the control input are checked.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    private readonly IKillStateStore _store;
    private readonly ControlInbox _control;
    private readonly AlertSink _alerts;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly Timer _poller;
    private readonly object _gate = new();
    private readonly object _io = new();
    private volatile KillState? _state;
    private KillState? _unsaved; // engaged in memory, not yet in the store (being written, or the store refuses): memory wins until it is
    private long _generation; // bumped by every change made here: a store read older than a change must not undo it
    private bool _pollFailedLogged;
    private bool _saveFailedLogged;

    /// <summary>Creates the switch with the state it had when the engine last stopped.</summary>
    public KillSwitch(IKillStateStore store, ControlInbox control, AlertSink alerts, ILogger logger, TimeProvider clock)
    {
        _store = store;
        _control = control;
        _alerts = alerts;
        _logger = logger;
        _clock = clock;
        _state = store.Read();
        if (_state is { } state)
        {
            _logger.LogWarning("kill switch is engaged ({Mode}, by {Source}: {Reason}); no new orders until `arbbot kill --clear`", state.Mode, state.Source, state.Reason);
        }

        _poller = new Timer(_ => Poll(), null, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>The engaged state, or null.</summary>
    public KillState? State => _state;

    /// <summary>Whether new orders are halted.</summary>
    public bool IsEngaged => _state is not null;

    /// <summary>Raised (on the poller thread or the engaging thread) when the state changes.</summary>
    public event Action<KillState?>? Changed;

    /// <summary>Starts polling.</summary>
    public void Start() => _poller.Change(PollInterval, PollInterval);

    /// <summary>Engages the switch now and persists it (the engine's own limits call this).</summary>
    public void Engage(bool flatten, string reason, string source)
    {
        var state = new KillState(flatten, reason, source, _clock.GetUtcNow().ToUnixTimeMilliseconds());
        lock (_gate)
        {
            if (_state is { } current && (current.Flatten || !flatten))
            {
                return; // already at least this engaged
            }

            // The alert goes out before the state is seen: whatever a flatten then does is told after the kill itself.
            AlertEngaged(state);
            _state = state; // halts at once; saving happens off the caller's thread
            _unsaved = state;
            _generation++;
        }

        Task.Run(SaveUnsaved);
        Changed?.Invoke(state);
    }

    /// <summary>Writes an engaged state the store does not hold yet; a store that refuses keeps it unsaved (tried again at every poll), and the switch engaged.</summary>
    private void SaveUnsaved()
    {
        lock (_io)
        {
            KillState? state;
            lock (_gate)
            {
                state = _unsaved;
            }

            if (state is null)
            {
                return;
            }

            try
            {
                _store.Write(state);
                _saveFailedLogged = false;
            }
            catch (Exception ex)
            {
                if (!_saveFailedLogged)
                {
                    _saveFailedLogged = true;
                    _logger.LogError("kill switch: engaged but could not be saved to {Path} ({Message}); it stays engaged in this process and is tried again, but would not survive a restart", _store.Where, ex.Message);
                }

                return;
            }

            lock (_gate)
            {
                if (ReferenceEquals(_unsaved, state))
                {
                    _unsaved = null;
                }
            }
        }
    }

    /// <summary>Checks the control input and the store once (the poller calls this).</summary>
    public void Poll()
    {
        try
        {
            long generation;
            lock (_gate)
            {
                generation = _generation;
            }

            KillState? persisted;
            lock (_io)
            {
                while (_control.TryTake(out ControlCommand command))
                {
                    Apply(command);
                }

                SaveUnsaved(); // a store that refused the last engage is tried again
                persisted = _store.Read();
            }

            KillState? changed = null;
            bool cleared = false;
            lock (_gate)
            {
                if (_unsaved is not null || _generation != generation)
                {
                    return; // the store is behind this process's own change (being saved, refused, or read before it): memory wins
                }

                if (persisted is null && _state is not null)
                {
                    _state = null;
                    cleared = true;
                }
                else if (persisted is not null && (_state is null || persisted.Flatten != _state.Flatten || persisted.SetMs != _state.SetMs))
                {
                    AlertEngaged(persisted);
                    _state = persisted;
                    changed = persisted;
                }
            }

            if (cleared)
            {
                _alerts.Raise("warning", "kill", null, "kill switch cleared; new orders allowed again", _clock.GetUtcNow().ToUnixTimeMilliseconds());
                Changed?.Invoke(null);
            }
            else if (changed is not null)
            {
                Changed?.Invoke(changed);
            }

            _pollFailedLogged = false;
        }
        catch (Exception ex)
        {
            // A timer callback must never throw (it would end the process); the next poll tries again.
            if (!_pollFailedLogged)
            {
                _pollFailedLogged = true;
                _logger.LogError("kill switch: cannot read {Path} or the control input: {Message}", _store.Where, ex.Message);
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _poller.Dispose();

    private void Apply(ControlCommand command)
    {
        switch (command.Verb)
        {
            case "halt":
            case "flatten":
                // Halts at once, in memory, whether or not the store can be written: a safety command fails closed.
                Engage(command.Verb == "flatten", command.Reason, command.Source);
                break;
            case "clear":
                lock (_gate)
                {
                    _unsaved = null; // an engage not saved yet is cleared too
                    _generation++;
                }

                _store.Clear();
                break;
            default:
                _logger.LogWarning("kill switch: ignoring {Source} command \"{Value}\" (expected halt, flatten or clear, optionally followed by :reason)", command.Source, command.Text);
                break;
        }
    }

    private void AlertEngaged(KillState state) =>
        _alerts.Raise("error", "kill", null, $"kill switch engaged ({state.Mode}) by {state.Source}: {state.Reason}", _clock.GetUtcNow().ToUnixTimeMilliseconds());
}
