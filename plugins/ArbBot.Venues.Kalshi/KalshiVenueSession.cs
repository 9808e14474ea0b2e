using ArbBot.Abstractions.Discovery;
using ArbBot.Abstractions.Orders;
using ArbBot.Abstractions.Plugins;
using ArbBot.Venues.Kalshi.Discovery;
using ArbBot.Venues.Kalshi.Execution;
using ArbBot.Venues.Kalshi.Replay;
using ArbBot.Venues.Toolkit.Sessions;

namespace ArbBot.Venues.Kalshi;

/// <summary>
/// One configured Kalshi venue: its connector, executor and catalog share one
/// <see cref="KalshiVenue"/> (keys, WebSocket, REST client), made when the first of them is asked
/// for, so a replay, which only decodes recorded frames, needs no key.
/// </summary>
internal sealed class KalshiVenueSession(VenueContext context) : IVenueSession
{
    private readonly SessionParts _parts = new();
    private readonly Lock _gate = new();
    private KalshiVenue? _venue;

    public IVenueConnector CreateConnector() => _parts.Keep(new KalshiConnector(Venue()));

    public IOrderExecutor? CreateExecutor() => _parts.Keep(new KalshiExecutor(Venue()));

    public IMarketCatalog? CreateCatalog() => _parts.Keep(new KalshiCatalog(Venue()));

    public IRecordedFrameDecoder? CreateFrameDecoder() => new KalshiFrameDecoder(context);

    public async ValueTask DisposeAsync()
    {
        await _parts.DisposeAsync().ConfigureAwait(false);
        KalshiVenue? venue;
        lock (_gate)
        {
            venue = _venue;
            _venue = null;
        }

        if (venue is not null)
        {
            await venue.DisposeAsync().ConfigureAwait(false);
        }
    }

    private KalshiVenue Venue()
    {
        lock (_gate)
        {
            return _venue ??= new KalshiVenue(context);
        }
    }
}
