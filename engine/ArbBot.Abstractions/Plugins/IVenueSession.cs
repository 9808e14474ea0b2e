using ArbBot.Abstractions.Discovery;
using ArbBot.Abstractions.Orders;

namespace ArbBot.Abstractions.Plugins;

/// <summary>
/// One configured venue as a plugin serves it, made by <see cref="IVenuePlugin.Open"/>: it holds
/// what the venue's parts share (settings, keys, one connection), so a plugin needs no registry of
/// venues by name. The engine asks only for the parts it uses (no executor in paper mode, only the
/// decoder in replay, only the catalog for <c>arbbot markets</c>), each at most once, and disposes
/// the session after them; disposing it also disposes any part still open.
/// </summary>
public interface IVenueSession : IAsyncDisposable
{
    /// <summary>The market-data connector. Throws <see cref="VenueSettingException"/> for bad settings.</summary>
    IVenueConnector CreateConnector();

    /// <summary>The order executor, or null if the plugin does not trade.</summary>
    IOrderExecutor? CreateExecutor();

    /// <summary>The market listing, or null if the plugin cannot list markets.</summary>
    IMarketCatalog? CreateCatalog() => null;

    /// <summary>The decoder of recorded messages (plugins declaring <see cref="VenueCapabilities.RecordsFrames"/>), or null.</summary>
    IRecordedFrameDecoder? CreateFrameDecoder() => null;
}
