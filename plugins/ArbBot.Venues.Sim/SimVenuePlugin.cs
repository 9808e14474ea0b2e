using System.Reflection;
using ArbBot.Abstractions.Orders;
using ArbBot.Abstractions.Plugins;
using ArbBot.Venues.Sim;
using ArbBot.Venues.Sim.Model;

[assembly: ArbBotPlugin(typeof(SimVenuePlugin), ContractInfo.Version, ContractInfo.Minor)]

namespace ArbBot.Venues.Sim;

/// <summary>
/// Simulated venues for offline runs and tests. One plugin serves any number of configured
/// venues; a connector and an executor for the same venue name share one simulation.
/// </summary>
public sealed class SimVenuePlugin : IVenuePlugin
{
    private readonly Dictionary<string, SimVenue> _venues = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    /// <inheritdoc/>
    public PluginDescriptor Descriptor { get; } = new(
        "sim",
        typeof(SimVenuePlugin).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0",
        "simulated binary-market venues (Kalshi-like or Polymarket-like) with a matching engine",
        VenueCapabilities.BookStream | VenueCapabilities.Trading | VenueCapabilities.MakerOrders | VenueCapabilities.Fees | VenueCapabilities.Simulated,
        SimSettings.Schema);

    /// <inheritdoc/>
    public IVenueConnector CreateConnector(VenueContext context) => new SimConnector(this, Acquire(context));

    /// <inheritdoc/>
    public IOrderExecutor? CreateExecutor(VenueContext context) => new SimExecutor(this, Acquire(context));

    internal void Release(SimVenue venue)
    {
        if (venue.RemoveUser())
        {
            lock (_gate)
            {
                if (_venues.TryGetValue(venue.Name, out SimVenue? current) && current == venue)
                {
                    _venues.Remove(venue.Name);
                }
            }
        }
    }

    private SimVenue Acquire(VenueContext context)
    {
        lock (_gate)
        {
            if (!_venues.TryGetValue(context.VenueName, out SimVenue? venue))
            {
                venue = new SimVenue(SimSettings.Parse(context.Settings), context);
                _venues[context.VenueName] = venue;
            }

            return venue;
        }
    }
}
