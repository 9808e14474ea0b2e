using System.Reflection;
using ArbBot.Abstractions.Discovery;
using ArbBot.Abstractions.Orders;
using ArbBot.Abstractions.Plugins;
using ArbBot.Venues.Polymarket;
using ArbBot.Venues.Polymarket.Config;
using ArbBot.Venues.Polymarket.Discovery;
using ArbBot.Venues.Polymarket.Execution;

[assembly: ArbBotPlugin(typeof(PolymarketVenuePlugin), ContractInfo.Version, ContractInfo.Minor)]

namespace ArbBot.Venues.Polymarket;

/// <summary>
/// Polymarket: CLOB market data from the market channel, Gamma discovery, and CLOB V2 orders
/// (signed with the account key, L2-authenticated, followed on the user channel). In paper mode
/// the engine's paper executor fills against these books and no order reaches the venue.
/// </summary>
public sealed class PolymarketVenuePlugin : IVenuePlugin
{
    /// <inheritdoc/>
    public PluginDescriptor Descriptor { get; } = new(
        "polymarket",
        typeof(PolymarketVenuePlugin).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0",
        "Polymarket CLOB: a book per outcome token, Gamma discovery, CLOB V2 signed orders and the user channel",
        VenueCapabilities.BookStream | VenueCapabilities.Discovery | VenueCapabilities.Trading | VenueCapabilities.RecordsFrames,
        PolymarketSettings.Schema);

    // Connector and executor of one venue share which token is YES in each market.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, TokenRegistry> _registries = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public IVenueConnector CreateConnector(VenueContext context) => new PolymarketConnector(context, Registry(context));

    /// <inheritdoc/>
    public IRecordedFrameDecoder? CreateFrameDecoder(VenueContext context) => new Replay.PolymarketFrameDecoder(context);

    /// <inheritdoc/>
    public IOrderExecutor? CreateExecutor(VenueContext context) => new PolymarketExecutor(context, PolymarketTradingSettings.Parse(context), Registry(context));

    /// <inheritdoc/>
    public IMarketCatalog? CreateCatalog(VenueContext context) =>
        new PolymarketCatalog(PolymarketSettings.Parse(context.Settings).GammaUrl, new HttpClient { Timeout = TimeSpan.FromSeconds(10) });

    private TokenRegistry Registry(VenueContext context) => _registries.GetOrAdd(context.VenueName, _ => new TokenRegistry());
}
