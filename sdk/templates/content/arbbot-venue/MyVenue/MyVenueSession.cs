using ArbBot.Abstractions.Orders;
using ArbBot.Abstractions.Plugins;
using ArbBot.Venues.Toolkit.Sessions;
using MyVenue.Config;
using MyVenue.Execution;
using MyVenue.Streaming;

namespace MyVenue;

/// <summary>
/// One configured MyVenue venue: what its connector and executor share lives here (the settings
/// now; a signer, a REST client or one shared connection as the plugin grows). Disposing it
/// disposes the parts still open.
/// </summary>
public sealed class MyVenueSession(MyVenueSettings settings, VenueContext context) : IVenueSession
{
    private readonly SessionParts _parts = new();

    /// <inheritdoc/>
    public IVenueConnector CreateConnector() => _parts.Keep(new MyVenueConnector(settings, context));

    /// <inheritdoc/>
    public IOrderExecutor? CreateExecutor() => _parts.Keep(new MyVenueExecutor(settings, context));

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _parts.DisposeAsync();
}
