using ArbBot.Engine.Execution.Alerts;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace ArbBot.Engine.Execution.Risk;

/// <summary>
/// The engine's kill switch. Engaged from three places: <c>arbbot kill</c> (writes the state
/// database), the Redis key <c>{prefix}:kill</c> (another process or a dashboard: <c>halt</c>,
/// <c>flatten</c> or <c>clear</c>, optionally followed by <c>:reason</c>), and the engine itself
/// when a loss limit trips. The database row is the truth: it survives restarts until cleared.
/// A poller thread checks both every <see cref="PollInterval"/>.
/// </summary>
public sealed class KillSwitch : IDisposable
{
    /// <summary>How often the database and the Redis key are checked.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    private readonly string _databasePath;
    private readonly AlertSink _alerts;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly Timer _poller;
    private readonly object _gate = new();
    private readonly object _io = new();
    private volatile KillState? _state;
    private int _unsaved;
    private bool _pollFailedLogged;

    /// <summary>Creates the switch with the state it had when the engine last stopped.</summary>
    public KillSwitch(string databasePath, AlertSink alerts, ILogger logger, TimeProvider clock)
    {
        _databasePath = databasePath;
        _alerts = alerts;
        _logger = logger;
        _clock = clock;
        _state = KillSwitchStore.Read(databasePath);
        if (_state is { } state)
        {
            _logger.LogWarning("kill switch is engaged ({Mode}, by {Source}: {Reason}); no new orders until `arbbot kill --clear`", state.Mode, state.Source, state.Reason);
        }

        _poller = new Timer(_ => Poll(), null, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>Takes the Redis control key's value (read and deleted there; null when none or no Redis); set by the engine host.</summary>
    public Func<string?>? ReadRemote { get; set; }

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
            _unsaved++;
        }

        Task.Run(() =>
        {
            lock (_io)
            {
                Persist(state);
            }

            lock (_gate)
            {
                _unsaved--;
            }
        });
        Changed?.Invoke(state);
    }

    /// <summary>Checks the database and the Redis key once (the poller calls this).</summary>
    public void Poll()
    {
        try
        {
            KillState? persisted;
            lock (_io)
            {
                string? remote = ReadRemote?.Invoke();
                if (remote is not null)
                {
                    TakeRemote(remote);
                }

                persisted = KillSwitchStore.Read(_databasePath);
            }

            KillState? changed = null;
            bool cleared = false;
            lock (_gate)
            {
                if (_unsaved > 0)
                {
                    return; // an engage is being saved: the file is behind the state for a moment
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
                _logger.LogError("kill switch: cannot read {Path} or the Redis key: {Message}", _databasePath, ex.Message);
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _poller.Dispose();

    private void TakeRemote(string value)
    {
        int colon = value.IndexOf(':', StringComparison.Ordinal);
        string command = (colon < 0 ? value : value[..colon]).Trim().ToLowerInvariant();
        string reason = colon < 0 ? "set through Redis" : value[(colon + 1)..].Trim();
        switch (command)
        {
            case "halt":
            case "flatten":
                KillSwitchStore.Write(_databasePath, new KillState(command == "flatten", reason, "redis", _clock.GetUtcNow().ToUnixTimeMilliseconds()));
                break;
            case "clear":
                KillSwitchStore.Clear(_databasePath);
                break;
            default:
                _logger.LogWarning("kill switch: ignoring Redis kill key value \"{Value}\" (expected halt, flatten or clear, optionally followed by :reason)", value);
                break;
        }
    }

    private void Persist(KillState state)
    {
        try
        {
            KillSwitchStore.Write(_databasePath, state);
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            _logger.LogError("kill switch: engaged but could not be saved to {Path} ({Message}); it will not survive a restart", _databasePath, ex.Message);
        }
    }

    private void AlertEngaged(KillState state) =>
        _alerts.Raise("error", "kill", null, $"kill switch engaged ({state.Mode}) by {state.Source}: {state.Reason}", _clock.GetUtcNow().ToUnixTimeMilliseconds());
}
