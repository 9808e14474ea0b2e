using ArbBot.Abstractions.Plugins;
using MyVenue.Config;

[assembly: ArbBotPlugin(typeof(MyVenue.MyVenuePlugin), ContractInfo.Version, ContractInfo.Minor)]

namespace MyVenue;

/// <summary>The plugin's entry point: what it is, what it can do, which settings it takes; it opens one session per configured venue.</summary>
public sealed class MyVenuePlugin : IVenuePlugin
{
    /// <inheritdoc/>
    public PluginDescriptor Descriptor { get; } = new(
        "myvenue",
        typeof(MyVenuePlugin).Assembly.GetName().Version?.ToString(3) ?? "0.1.0",
        "MyVenue: market data over a WebSocket, orders over HTTP",
        VenueCapabilities.BookStream | VenueCapabilities.Trading,
        MyVenueSettings.All);

    /// <inheritdoc/>
    public IVenueSession Open(VenueContext context) => new MyVenueSession(MyVenueSettings.Read(context.Settings), context);
}
