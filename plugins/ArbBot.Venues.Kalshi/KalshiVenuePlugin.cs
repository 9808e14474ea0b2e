using System.Reflection;
using ArbBot.Abstractions.Plugins;
using ArbBot.Venues.Kalshi;
using ArbBot.Venues.Kalshi.Config;

[assembly: ArbBotPlugin(typeof(KalshiVenuePlugin), ContractInfo.Version, ContractInfo.Minor)]

namespace ArbBot.Venues.Kalshi;

/// <summary>
/// Kalshi (Trade API v2): order books from the <c>orderbook_delta</c> WebSocket channel, V2 orders
/// over signed REST, fills from the <c>fill</c> channel. A connector and an executor of the same
/// configured venue share one connection, through the venue's session.
/// </summary>
public sealed class KalshiVenuePlugin : IVenuePlugin
{
    /// <inheritdoc/>
    public PluginDescriptor Descriptor { get; } = new(
        "kalshi",
        typeof(KalshiVenuePlugin).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0",
        "Kalshi Trade API v2: WebSocket order books (bids only), signed V2 orders, fills",
        VenueCapabilities.BookStream | VenueCapabilities.Trading | VenueCapabilities.MakerOrders | VenueCapabilities.Fees | VenueCapabilities.Discovery | VenueCapabilities.RecordsFrames,
        KalshiSettings.Schema);

    /// <inheritdoc/>
    public IVenueSession Open(VenueContext context) => new KalshiVenueSession(context);
}
