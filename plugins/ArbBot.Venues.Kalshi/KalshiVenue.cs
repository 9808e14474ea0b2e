using ArbBot.Abstractions.Plugins;
using ArbBot.Venues.Kalshi.Auth;
using ArbBot.Venues.Kalshi.Config;
using ArbBot.Venues.Kalshi.Http;
using ArbBot.Venues.Kalshi.Streaming;

namespace ArbBot.Venues.Kalshi;

/// <summary>What a configured Kalshi venue's connector and executor share: the settings, the signer, one WebSocket session and the REST client.</summary>
internal sealed class KalshiVenue : IAsyncDisposable
{
    public KalshiVenue(VenueContext context)
    {
        Settings = KalshiSettings.Parse(context.Settings);
        Signer = KalshiSigner.Load(Settings.ApiKeyIdEnv, Path.GetFullPath(Settings.PrivateKeyFile, context.BaseDirectory), context.Clock);
        Context = context;
        Rest = new KalshiRestClient(Settings, Signer);
        Session = new KalshiSession(Settings, Signer, Rest, context);
    }

    public string Name => Context.VenueName;

    public KalshiSettings Settings { get; }

    public KalshiSigner Signer { get; }

    public VenueContext Context { get; }

    public KalshiSession Session { get; }

    public KalshiRestClient Rest { get; }

    public async ValueTask DisposeAsync()
    {
        await Session.DisposeAsync().ConfigureAwait(false);
        Rest.Dispose();
        Signer.Dispose();
    }
}
