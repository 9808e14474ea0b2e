using ArbBot.Abstractions.Discovery;
using ArbBot.Abstractions.Events;
using ArbBot.Abstractions.Orders;
using ArbBot.Abstractions.Plugins;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Plugins;
using Microsoft.Extensions.Logging;

namespace ArbBot.Engine.Discovery;

/// <summary>
/// A configured venue's market listing, opened outside a run: its plugin loaded through the
/// plugin host with the venue's settings from the config, and nothing streamed.
/// </summary>
public sealed class VenueCatalog : IAsyncDisposable
{
    private readonly LoadedPlugin _plugin;
    private readonly IVenueSession _session;
    private readonly IMarketCatalog _catalog;

    private VenueCatalog(LoadedPlugin plugin, IVenueSession session, IMarketCatalog catalog)
    {
        _plugin = plugin;
        _session = session;
        _catalog = catalog;
    }

    /// <summary>
    /// Opens the catalog of the venue named <paramref name="venueName"/> in the config. Throws
    /// <see cref="ConfigException"/> for an unknown venue or bad settings, <see cref="PluginLoadException"/>
    /// when its plugin cannot be loaded and <see cref="NotSupportedException"/> when the plugin cannot list markets.
    /// </summary>
    public static VenueCatalog Open(ArbBotConfig config, string venueName, PluginLoader loader, ILoggerFactory logging)
    {
        VenueConfig venue = config.Venues.FirstOrDefault(v => v.Name == venueName)
            ?? throw new ConfigException(config.SourcePath, 1, $"no venue named {venueName} (configured: {string.Join(", ", config.Venues.Select(v => v.Name))})");
        string path = loader.Resolve(venue.Plugin, config.BaseDirectory)
            ?? throw new ConfigException(config.SourcePath, venue.Line, $"venues.{venue.Name}.plugin: no plugin {venue.Plugin} found in {string.Join(", ", loader.SearchDirectories)}");
        LoadedPlugin plugin = PluginLoader.Load(path);
        try
        {
            IReadOnlyDictionary<string, string> settings = VenueSettings.Validate(config.SourcePath, venue, plugin.Descriptor);
            var context = new VenueContext(venue.Name, settings, NoStream.Instance, NoStream.Instance, new PluginLog(logging.CreateLogger($"ArbBot.Venue.{venue.Name}"), venue.Name), TimeProvider.System)
            {
                BaseDirectory = config.BaseDirectory,
            };
            IVenueSession? session = null;
            try
            {
                session = plugin.Plugin.Open(context);
                IMarketCatalog catalog = session.CreateCatalog()
                    ?? throw new NotSupportedException($"plugin {plugin.Descriptor.Name} ({path}) cannot list markets");
                return new VenueCatalog(plugin, session, catalog);
            }
            catch (VenueSettingException ex)
            {
                session?.DisposeAsync().AsTask().GetAwaiter().GetResult();
                long line = venue.SettingLines.TryGetValue(ex.Key, out long l) ? l : venue.Line;
                throw new ConfigException(config.SourcePath, line, $"venues.{venue.Name}.settings.{ex.Key} {ex.Message}", ex);
            }
            catch
            {
                session?.DisposeAsync().AsTask().GetAwaiter().GetResult();
                throw;
            }
        }
        catch
        {
            plugin.Unload();
            throw;
        }
    }

    /// <inheritdoc cref="IMarketCatalog.ListAsync"/>
    public Task<IReadOnlyList<ListedMarket>> ListAsync(MarketQuery query, CancellationToken cancellationToken) =>
        _catalog.ListAsync(query, cancellationToken);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _catalog.DisposeAsync().ConfigureAwait(false);
        await _session.DisposeAsync().ConfigureAwait(false);
        _plugin.Unload();
    }

    /// <summary>A listing streams nothing; anything a plugin posts here anyway is dropped.</summary>
    private sealed class NoStream : IVenueEventSink, IExecutionEventSink
    {
        public static readonly NoStream Instance = new();

        public void OnBookSnapshot(BookSnapshot snapshot)
        {
        }

        public void OnBookDelta(in BookDelta delta)
        {
        }

        public void OnBookInvalidated(Abstractions.Markets.MarketHandle market, string reason)
        {
        }

        public void OnVenueStatus(VenueStatus status, string detail)
        {
        }

        public void OnOrderUpdate(OrderUpdate update)
        {
        }

        public void OnFill(Fill fill)
        {
        }
    }
}
