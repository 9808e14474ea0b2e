using System.Reflection;
using ArbBot.Abstractions.Discovery;
using ArbBot.Abstractions.Orders;
using ArbBot.Abstractions.Plugins;
using ArbBot.Venues.Kalshi;
using ArbBot.Venues.Kalshi.Config;
using ArbBot.Venues.Kalshi.Discovery;
using ArbBot.Venues.Kalshi.Execution;

[assembly: ArbBotPlugin(typeof(KalshiVenuePlugin), ContractInfo.Version, ContractInfo.Minor)]

namespace ArbBot.Venues.Kalshi;

/// <summary>
/// Kalshi (Trade API v2): order books from the <c>orderbook_delta</c> WebSocket channel, V2 orders
/// over signed REST, fills from the <c>fill</c> channel. A connector and an executor of the same
/// configured venue share one connection.
/// </summary>
public sealed class KalshiVenuePlugin : IVenuePlugin
{
    private readonly Dictionary<string, KalshiVenue> _venues = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    /// <inheritdoc/>
    public PluginDescriptor Descriptor { get; } = new(
        "kalshi",
        typeof(KalshiVenuePlugin).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0",
        "Kalshi Trade API v2: WebSocket order books (bids only), signed V2 orders, fills",
        VenueCapabilities.BookStream | VenueCapabilities.Trading | VenueCapabilities.MakerOrders | VenueCapabilities.Fees | VenueCapabilities.Discovery | VenueCapabilities.RecordsFrames,
        KalshiSettings.Schema);

    /// <inheritdoc/>
    public IVenueConnector CreateConnector(VenueContext context) => new KalshiConnector(this, Acquire(context));

    /// <inheritdoc/>
    public IOrderExecutor? CreateExecutor(VenueContext context) => new KalshiExecutor(this, Acquire(context));

    /// <inheritdoc/>
    public IMarketCatalog? CreateCatalog(VenueContext context) => new KalshiCatalog(this, Acquire(context));

    /// <inheritdoc/>
    public IRecordedFrameDecoder? CreateFrameDecoder(VenueContext context) => new Replay.KalshiFrameDecoder(context);

    internal async ValueTask ReleaseAsync(KalshiVenue venue)
    {
        if (!venue.RemoveUser())
        {
            return;
        }

        lock (_gate)
        {
            if (_venues.TryGetValue(venue.Name, out KalshiVenue? current) && current == venue)
            {
                _venues.Remove(venue.Name);
            }
        }

        await venue.DisposeAsync().ConfigureAwait(false);
    }

    private KalshiVenue Acquire(VenueContext context)
    {
        lock (_gate)
        {
            if (!_venues.TryGetValue(context.VenueName, out KalshiVenue? venue))
            {
                venue = new KalshiVenue(context);
                _venues[context.VenueName] = venue;
            }

            venue.AddUser();
            return venue;
        }
    }
}
