using ArbBot.Abstractions.Orders;
using ArbBot.Abstractions.Plugins;
using MyVenue.Config;
using MyVenue.Execution;
using MyVenue.Streaming;

[assembly: ArbBotPlugin(typeof(MyVenue.MyVenuePlugin), ContractInfo.Version, ContractInfo.Minor)]

namespace MyVenue;

/// <summary>The plugin's entry point: what it is, what it can do, which settings it takes, and its factories.</summary>
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
    public IVenueConnector CreateConnector(VenueContext context) => new MyVenueConnector(MyVenueSettings.Read(context.Settings), context);

    /// <inheritdoc/>
    public IOrderExecutor? CreateExecutor(VenueContext context) => new MyVenueExecutor(MyVenueSettings.Read(context.Settings), context);
}
