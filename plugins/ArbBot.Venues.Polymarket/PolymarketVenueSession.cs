using ArbBot.Abstractions.Discovery;
using ArbBot.Abstractions.Orders;
using ArbBot.Abstractions.Plugins;
using ArbBot.Venues.Polymarket.Config;
using ArbBot.Venues.Polymarket.Discovery;
using ArbBot.Venues.Polymarket.Execution;
using ArbBot.Venues.Polymarket.Replay;
using ArbBot.Venues.Toolkit.Sessions;

namespace ArbBot.Venues.Polymarket;

/// <summary>
/// One configured Polymarket venue: its connector and executor share the <see cref="TokenRegistry"/>
/// (which token is YES in each market, and each market's tick as last announced).
/// </summary>
internal sealed class PolymarketVenueSession(VenueContext context) : IVenueSession
{
    private readonly SessionParts _parts = new();
    private readonly TokenRegistry _tokens = new();

    public IVenueConnector CreateConnector() => _parts.Keep(new PolymarketConnector(context, _tokens));

    public IOrderExecutor? CreateExecutor() => _parts.Keep(new PolymarketExecutor(context, PolymarketTradingSettings.Parse(context), _tokens));

    public IMarketCatalog? CreateCatalog() =>
        _parts.Keep(new PolymarketCatalog(PolymarketSettings.Parse(context.Settings).GammaUrl, new HttpClient { Timeout = TimeSpan.FromSeconds(10) }));

    public IRecordedFrameDecoder? CreateFrameDecoder() => new PolymarketFrameDecoder(context);

    public ValueTask DisposeAsync() => _parts.DisposeAsync();
}
