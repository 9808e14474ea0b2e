using System.Reflection;
using ArbBot.Abstractions.Plugins;
using ArbBot.Venues.Sim;
using ArbBot.Venues.Sim.Model;

[assembly: ArbBotPlugin(typeof(SimVenuePlugin), ContractInfo.Version, ContractInfo.Minor)]

namespace ArbBot.Venues.Sim;

/// <summary>
/// Simulated venues for offline runs and tests. One plugin serves any number of configured
/// venues; a venue's connector and executor share one simulation, its session's.
/// </summary>
public sealed class SimVenuePlugin : IVenuePlugin
{
    /// <inheritdoc/>
    public PluginDescriptor Descriptor { get; } = new(
        "sim",
        typeof(SimVenuePlugin).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0",
        "simulated binary-market venues (Kalshi-like or Polymarket-like) with a matching engine",
        VenueCapabilities.BookStream | VenueCapabilities.Trading | VenueCapabilities.MakerOrders | VenueCapabilities.Fees | VenueCapabilities.Simulated,
        SimSettings.Schema);

    /// <inheritdoc/>
    public IVenueSession Open(VenueContext context) => new SimVenueSession(context);
}
