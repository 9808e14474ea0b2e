using System.Reflection;
using ArbBot.Abstractions.Discovery;
using ArbBot.Abstractions.Orders;
using ArbBot.Abstractions.Plugins;
using ArbBot.Venues.Polymarket;
using ArbBot.Venues.Polymarket.Config;
using ArbBot.Venues.Polymarket.Discovery;

[assembly: ArbBotPlugin(typeof(PolymarketVenuePlugin), ContractInfo.Version)]

namespace ArbBot.Venues.Polymarket;

/// <summary>
/// Polymarket CLOB market data from the market channel. No orders yet (issue #7): in paper mode
/// the engine's paper executor fills against these books; in live mode there is no executor, so
/// the risk checks refuse every order for this venue (no_executor).
/// </summary>
public sealed class PolymarketVenuePlugin : IVenuePlugin
{
    /// <inheritdoc/>
    public PluginDescriptor Descriptor { get; } = new(
        "polymarket",
        typeof(PolymarketVenuePlugin).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0",
        "Polymarket CLOB market channel: a book per outcome token (market data only so far)",
        VenueCapabilities.BookStream | VenueCapabilities.Discovery,
        PolymarketSettings.Schema);

    /// <inheritdoc/>
    public IVenueConnector CreateConnector(VenueContext context) => new PolymarketConnector(context);

    /// <inheritdoc/>
    public IOrderExecutor? CreateExecutor(VenueContext context) => null;

    /// <inheritdoc/>
    public IMarketCatalog? CreateCatalog(VenueContext context) =>
        new PolymarketCatalog(PolymarketSettings.Parse(context.Settings).GammaUrl, new HttpClient { Timeout = TimeSpan.FromSeconds(10) });
}
