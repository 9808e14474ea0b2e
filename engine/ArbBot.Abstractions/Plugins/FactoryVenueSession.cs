using ArbBot.Abstractions.Discovery;
using ArbBot.Abstractions.Orders;

namespace ArbBot.Abstractions.Plugins;

/// <summary>
/// The session of a plugin built before 2.6, which has no <see cref="IVenuePlugin.Open"/> of its
/// own: each part comes from the plugin's factory with the venue's context, as it did then.
/// </summary>
internal sealed class FactoryVenueSession(IVenuePlugin plugin, VenueContext context) : IVenueSession
{
    private readonly List<IAsyncDisposable> _parts = new();

    public IVenueConnector CreateConnector() => Keep(plugin.CreateConnector(context));

    public IOrderExecutor? CreateExecutor() => Keep(plugin.CreateExecutor(context));

    public IMarketCatalog? CreateCatalog() => Keep(plugin.CreateCatalog(context));

    public IRecordedFrameDecoder? CreateFrameDecoder() => plugin.CreateFrameDecoder(context);

    public async ValueTask DisposeAsync()
    {
        IAsyncDisposable[] parts;
        lock (_parts)
        {
            parts = _parts.ToArray();
            _parts.Clear();
        }

        foreach (IAsyncDisposable part in parts)
        {
            await part.DisposeAsync().ConfigureAwait(false);
        }
    }

    private T Keep<T>(T part)
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
}
