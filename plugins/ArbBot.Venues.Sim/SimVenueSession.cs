using ArbBot.Abstractions.Orders;
using ArbBot.Abstractions.Plugins;
using ArbBot.Venues.Sim.Model;
using ArbBot.Venues.Toolkit.Sessions;

namespace ArbBot.Venues.Sim;

/// <summary>One configured simulated venue: its connector and executor drive one <see cref="SimVenue"/>, whose thread runs while either is open.</summary>
internal sealed class SimVenueSession(VenueContext context) : IVenueSession
{
    private readonly SimVenue _venue = new(SimSettings.Parse(context.Settings), context);
    private readonly SessionParts _parts = new();

    public IVenueConnector CreateConnector() => _parts.Keep(new SimConnector(_venue));

    public IOrderExecutor? CreateExecutor() => _parts.Keep(new SimExecutor(_venue));

    public ValueTask DisposeAsync() => _parts.DisposeAsync();
}
