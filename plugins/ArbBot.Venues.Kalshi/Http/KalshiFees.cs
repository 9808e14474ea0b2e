using System.Text.Json;
using ArbBot.Abstractions.Fees;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;

namespace ArbBot.Venues.Kalshi.Http;

/// <summary>
/// Reads what each subscribed market charges: market -> event -> series, whose <c>fee_type</c>
/// and <c>fee_multiplier</c> give the fee model (quadratic, with or without maker fees), and
/// reports it to the engine. The model is the contract's own <see cref="KalshiFeeModel"/>, so the
/// engine holds no type of this plugin and a reload can unload it. A market that cannot be read,
/// or a fee type with no formula here (<c>flat</c>), keeps the fees configured in arbbot.yaml.
/// </summary>
internal sealed class KalshiFees(KalshiVenue venue)
{
    public async Task LoadAsync(IReadOnlyList<MarketSubscription> markets)
    {
        try
        {
            var eventOf = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (MarketSubscription[] chunk in markets.Chunk(100))
            {
                using JsonDocument page = await venue.Rest.GetAsync(KalshiPaths.Markets(chunk.Select(m => m.MarketId)), CancellationToken.None).ConfigureAwait(false);
                foreach (JsonElement market in page.RootElement.GetProperty("markets").EnumerateArray())
                {
                    eventOf[market.GetProperty("ticker").GetString()!] = market.GetProperty("event_ticker").GetString()!;
                }
            }

            var seriesOf = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string eventTicker in eventOf.Values.Distinct(StringComparer.Ordinal))
            {
                using JsonDocument doc = await venue.Rest.GetAsync($"/events/{Uri.EscapeDataString(eventTicker)}", CancellationToken.None).ConfigureAwait(false);
                seriesOf[eventTicker] = doc.RootElement.GetProperty("event").GetProperty("series_ticker").GetString()!;
            }

            var models = new Dictionary<string, (IFeeModel? Model, string Text)>(StringComparer.Ordinal);
            foreach (string series in seriesOf.Values.Distinct(StringComparer.Ordinal))
            {
                using JsonDocument doc = await venue.Rest.GetAsync($"/series/{Uri.EscapeDataString(series)}", CancellationToken.None).ConfigureAwait(false);
                models[series] = FromSeries(doc.RootElement.GetProperty("series"));
            }

            int reported = 0;
            foreach (MarketSubscription market in markets)
            {
                if (eventOf.TryGetValue(market.MarketId, out string? e) && seriesOf.TryGetValue(e, out string? series) && models[series].Model is { } model)
                {
                    venue.Context.Books.OnMarketFees(market.Handle, model);
                    reported++;
                }
            }

            venue.Context.Log.Info($"fees read for {reported} of {markets.Count} markets: {string.Join("; ", models.Values.Select(m => m.Text))}");
        }
        catch (Exception ex) when (ex is KalshiApiException or HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            venue.Context.Log.Warn($"market fees could not be read ({ex.Message}); the fees configured in arbbot.yaml apply");
        }
    }

    /// <summary>The fee model of a series object (null where there is no formula here, such as flat) and its description.</summary>
    public static (IFeeModel? Model, string Text) FromSeries(JsonElement series)
    {
        string name = series.TryGetProperty("ticker", out JsonElement t) ? t.GetString() ?? "" : "";
        string type = series.GetProperty("fee_type").GetString() ?? "";
        Price multiplier = Multiplier(series.GetProperty("fee_multiplier"));
        return type switch
        {
            "quadratic" => (new KalshiFeeModel(multiplier, makerFees: false), $"{name} quadratic x{multiplier}".TrimStart()),
            "quadratic_with_maker_fees" => (new KalshiFeeModel(multiplier, makerFees: true), $"{name} quadratic with maker fees x{multiplier}".TrimStart()),
            _ => (null, $"{name} {type} (no formula here: configured fees kept)".TrimStart()),
        };
    }

    private static Price Multiplier(JsonElement value) => value.ValueKind == JsonValueKind.String
        ? Price.Parse(value.GetString()!)
        : Price.FromMicros(decimal.ToInt64(decimal.Round(value.GetDecimal() * 1_000_000m, MidpointRounding.AwayFromZero)));
}
