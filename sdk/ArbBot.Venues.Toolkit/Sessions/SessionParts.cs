namespace ArbBot.Venues.Toolkit.Sessions;

/// <summary>
/// The parts an <c>IVenueSession</c> has handed out (connector, executor, catalog), so that
/// disposing the session disposes those still open before what they share. Parts must tolerate a
/// second dispose: the engine may have disposed one already. Thread-safe.
/// </summary>
public sealed class SessionParts : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _parts = new();

    /// <summary>Remembers a part and returns it (null passes through).</summary>
    public T Keep<T>(T part)
        where T : IAsyncDisposable?
    {
        if (part is not null)
        {
            lock (_parts)
            {
                _parts.Add(part);
            }
        }

        return part;
    }

    /// <summary>Disposes the parts, the last handed out first.</summary>
    public async ValueTask DisposeAsync()
    {
        IAsyncDisposable[] parts;
        lock (_parts)
        {
            parts = _parts.ToArray();
            _parts.Clear();
        }

        for (int i = parts.Length - 1; i >= 0; i--)
        {
            await parts[i].DisposeAsync().ConfigureAwait(false);
        }
    }
}
