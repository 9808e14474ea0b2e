namespace ArbBot.Abstractions.Plugins;

/// <summary>
/// The entry point of a venue plugin, named by <see cref="ArbBotPluginAttribute"/>. One plugin
/// may serve several configured venues: the host opens one <see cref="IVenueSession"/> per venue
/// and asks it for the parts. A plugin implements <see cref="Open"/> (since 2.6); one built
/// before implements the factories below instead, and the default <see cref="Open"/> calls them.
/// The plugin host refuses a plugin that implements neither <see cref="Open"/> nor <see cref="CreateConnector"/>.
/// </summary>
public interface IVenuePlugin
{
    /// <summary>Name, version, capabilities and accepted settings.</summary>
    PluginDescriptor Descriptor { get; }

    /// <summary>
    /// Opens one configured venue: the session its connector, executor, catalog and decoder come
    /// from, sharing what they share. Throws <see cref="VenueSettingException"/> for bad settings.
    /// </summary>
    IVenueSession Open(VenueContext context) => new FactoryVenueSession(this, context);

    /// <summary>Before 2.6: creates the market-data connector for one configured venue. A plugin implementing <see cref="Open"/> leaves it out.</summary>
    IVenueConnector CreateConnector(VenueContext context) => throw new NotSupportedException($"{GetType().Name} implements Open: its session makes the connector");

    /// <summary>Before 2.6: creates the order executor for one configured venue, or null if the plugin does not trade.</summary>
    Orders.IOrderExecutor? CreateExecutor(VenueContext context) => throw new NotSupportedException($"{GetType().Name} implements Open: its session makes the executor");

    /// <summary>Before 2.6: creates the market listing of one configured venue, or null if the plugin cannot list markets.</summary>
    Discovery.IMarketCatalog? CreateCatalog(VenueContext context) => null;

    /// <summary>
    /// Before 2.6: creates the decoder that replays this venue's recorded messages (plugins declaring
    /// <see cref="VenueCapabilities.RecordsFrames"/>), or null: the engine then records and
    /// replays the venue's decoded market data instead.
    /// </summary>
    IRecordedFrameDecoder? CreateFrameDecoder(VenueContext context) => null;
}
