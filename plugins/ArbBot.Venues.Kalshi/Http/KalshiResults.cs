using System.Globalization;
using System.Text.Json;
using ArbBot.Abstractions.Markets;

namespace ArbBot.Venues.Kalshi.Http;

/// <summary>
/// Watches the subscribed markets for their result: every <c>result_poll_ms</c> their Market
/// objects are read (<c>GET /markets?tickers=</c>, 100 a call), and a market whose <c>status</c>
/// is <c>determined</c>, <c>amended</c> or <c>finalized</c> with a <c>result</c> of <c>yes</c> or
/// <c>no</c> is reported resolved once (the engine settles its positions there). A scalar or
/// empty result is not a binary resolution and is left alone.
/// </summary>
internal sealed class KalshiResults(KalshiVenue venue, IReadOnlyList<MarketSubscription> markets)
{
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var period = TimeSpan.FromMilliseconds(venue.Settings.ResultPollMs);
        int failures = 0;
        while (!cancellationToken.IsCancellationRequested && _reported.Count < markets.Count)
        {
            try
            {
                await CheckAsync(cancellationToken).ConfigureAwait(false);
                failures = 0;
            }
            catch (Exception ex) when (ex is KalshiApiException or HttpRequestException or JsonException or KeyNotFoundException or InvalidOperationException)
            {
                if (++failures <= 3)
                {
                    venue.Context.Log.Warn($"market results could not be read ({ex.Message}); tried again in {period.TotalSeconds:0} s");
                }
            }

            try
            {
                await Task.Delay(period, venue.Context.Clock, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One pass over the markets not reported yet.</summary>
    internal async Task CheckAsync(CancellationToken cancellationToken)
    {
        // A market unsubscribed since (a pairs-file change) is not the engine's any more.
        var byTicker = markets.Where(m => !_reported.Contains(m.MarketId) && venue.Session.IsSubscribed(m.Handle)).ToDictionary(m => m.MarketId, m => m.Handle, StringComparer.Ordinal);
        foreach (string[] chunk in byTicker.Keys.Chunk(100))
        {
            using JsonDocument page = await venue.Rest.GetAsync(KalshiPaths.Markets(chunk), cancellationToken).ConfigureAwait(false);
            foreach (JsonElement market in page.RootElement.GetProperty("markets").EnumerateArray())
            {
                string ticker = market.GetProperty("ticker").GetString() ?? "";
                if (!byTicker.TryGetValue(ticker, out MarketHandle handle) || Winner(market) is not { } winner)
                {
                    continue;
                }

                _reported.Add(ticker);
                venue.Context.Log.Info($"{ticker} resolved {winner.ToWireName()} ({Text(market, "status")})");
                venue.Context.Books.OnMarketResolved(handle, winner, SettledMs(market));
            }
        }
    }

    /// <summary>The winner of a market the venue has decided, or null while it has not (or for a result that is not yes or no).</summary>
    internal static Outcome? Winner(JsonElement market) =>
        Text(market, "status") is "determined" or "amended" or "finalized" or "settled"
            ? Text(market, "result") switch { "yes" => Outcome.Yes, "no" => Outcome.No, _ => null }
            : null;

    private long SettledMs(JsonElement market)
    {
        foreach (string name in new[] { "settlement_ts", "expiration_time", "close_time" })
        {
            if (Text(market, name) is { Length: > 0 } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset at))
            {
                return at.ToUnixTimeMilliseconds();
            }
        }

        return venue.Context.Clock.GetUtcNow().ToUnixTimeMilliseconds();
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
