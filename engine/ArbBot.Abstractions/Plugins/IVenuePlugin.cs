namespace ArbBot.Abstractions.Plugins;

/// <summary>
/// The entry point of a venue plugin, named by <see cref="ArbBotPluginAttribute"/>. One plugin
/// may serve several configured venues; the host calls the factories once per venue.
/// </summary>
public interface IVenuePlugin
{
    /// <summary>Name, version, capabilities and accepted settings.</summary>
    PluginDescriptor Descriptor { get; }

    /// <summary>Creates the market-data connector for one configured venue. Throws <see cref="VenueSettingException"/> for bad settings.</summary>
    IVenueConnector CreateConnector(VenueContext context);

    /// <summary>Creates the order executor for one configured venue, or null if the plugin does not trade.</summary>
    Orders.IOrderExecutor? CreateExecutor(VenueContext context);

    /// <summary>Creates the market listing of one configured venue, or null if the plugin cannot list markets.</summary>
    Discovery.IMarketCatalog? CreateCatalog(VenueContext context) => null;

    /// <summary>
    /// Creates the decoder that replays this venue's recorded messages (plugins declaring
    /// <see cref="VenueCapabilities.RecordsFrames"/>), or null: the engine then records and
    /// replays the venue's decoded market data instead.
    /// </summary>
    IRecordedFrameDecoder? CreateFrameDecoder(VenueContext context) => null;
}
