using System.Reflection;
using ArbBot.Abstractions.Plugins;
using ArbBot.Venues.Polymarket;
using ArbBot.Venues.Polymarket.Config;

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

    /// <inheritdoc/>
    public IVenueSession Open(VenueContext context) => new PolymarketVenueSession(context);
}
