namespace ArbBot.Engine.Configuration;

/// <summary>
/// Tells when a file (the config, the pairs file) has changed: written in place, or replaced by a
/// rename as editors and <see cref="Pairing.PairsFile.Save"/> do; after it has been quiet for a
/// moment, so that a file written in several steps is read once, whole.
/// </summary>
public sealed class QuietFileWatch : IDisposable
{
    private readonly FileSystemWatcher _watcher;
    private readonly Timer _debounce;
    private readonly object _gate = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Starts watching <paramref name="path"/>.</summary>
    public QuietFileWatch(string path, TimeSpan quiet)
    {
        string full = Path.GetFullPath(path);
        string name = Path.GetFileName(full);
        _debounce = new Timer(_ => Signal(), null, Timeout.Infinite, Timeout.Infinite);
        _watcher = new FileSystemWatcher(Path.GetDirectoryName(full)!)
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.FileName | NotifyFilters.CreationTime,
        };
        FileSystemEventHandler touched = (_, e) =>
        {
            if (e.Name == name)
            {
                Volatile.Write(ref _lastChange, System.Diagnostics.Stopwatch.GetTimestamp());
                _debounce.Change(quiet, Timeout.InfiniteTimeSpan);
            }
        };
        _watcher.Changed += touched;
        _watcher.Created += touched;
        _watcher.Renamed += (_, e) => touched(this, e);
        _watcher.EnableRaisingEvents = true;
    }

    /// <summary>Stopwatch time of the last write seen (0 before any): when the save being handled happened.</summary>
    public long LastChangeTimestamp => Volatile.Read(ref _lastChange);

    private long _lastChange;

    /// <summary>Completes at the next change after the call (or at once if one came since the last wait).</summary>
    public Task NextChange
    {
        get
        {
            lock (_gate)
            {
                return _changed.Task;
            }
        }
    }

    /// <summary>Call after handling a change: the next <see cref="NextChange"/> waits for a new one.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            if (_changed.Task.IsCompleted)
            {
                _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _watcher.Dispose();
        _debounce.Dispose();
    }

    private void Signal()
    {
        lock (_gate)
        {
            _changed.TrySetResult();
        }
    }
}
