using System.Globalization;
using System.Text;
using System.Text.Json;
using ArbBot.Abstractions.Discovery;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Venues.Kalshi.Http;

namespace ArbBot.Venues.Kalshi.Discovery;

/// <summary>
/// Kalshi's market listing: <c>GET /markets</c> filtered by series, event and status, paged with
/// its cursor; each market's fee schedule from its series (event -> series, each read once).
/// The price grid comes from <c>price_level_structure</c> / <c>price_ranges</c> (<c>tick_size</c>
/// was removed in 2026).
/// </summary>
internal sealed class KalshiCatalog(KalshiVenue venue) : IMarketCatalog
{
    private const int MaxPage = 1000; // Kalshi's largest page

    public async Task<IReadOnlyList<ListedMarket>> ListAsync(MarketQuery query, CancellationToken cancellationToken)
    {
        string status = query.Status switch
        {
            null or "" or "any" => "",
            "open" or "closed" or "settled" or "unopened" or "paused" => query.Status,
            _ => throw new NotSupportedException($"Kalshi lists markets by status unopened, open, paused, closed or settled, not \"{query.Status}\""),
        };
        string text = query.Text?.Trim() ?? "";
        var found = new List<(JsonElement Market, string Event)>();
        var documents = new List<JsonDocument>();
        try
        {
            string cursor = "";
            do
            {
                var path = new StringBuilder($"/markets?limit={Math.Clamp(query.Limit, 1, MaxPage)}");
                Append(path, "series_ticker", query.Series);
                Append(path, "event_ticker", query.Event);
                Append(path, "status", status);
                Append(path, "cursor", cursor);
                JsonDocument page = await venue.Rest.GetAsync(path.ToString(), cancellationToken).ConfigureAwait(false);
                documents.Add(page);
                foreach (JsonElement market in page.RootElement.GetProperty("markets").EnumerateArray())
                {
                    string title = Text(market, "title");
                    if (title.Contains(text, StringComparison.OrdinalIgnoreCase) && found.Count < query.Limit)
                    {
                        found.Add((market, Text(market, "event_ticker")));
                    }
                }

                cursor = page.RootElement.TryGetProperty("cursor", out JsonElement c) ? c.GetString() ?? "" : "";
            }
            while (cursor.Length > 0 && found.Count < query.Limit);

            Dictionary<string, (string Fees, bool? MutuallyExclusive)> events = await EventFactsAsync(found.Select(f => f.Event), cancellationToken).ConfigureAwait(false);
            return found.Select(f => ToListed(f.Market, events[f.Event].Fees) with { MutuallyExclusive = events[f.Event].MutuallyExclusive }).ToList();
        }
        finally
        {
            foreach (JsonDocument doc in documents)
            {
                doc.Dispose();
            }
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask; // the REST client is the session's

    /// <summary>One market object of <c>GET /markets</c>, in the contract's terms.</summary>
    internal static ListedMarket ToListed(JsonElement market, string fees)
    {
        string ticker = Text(market, "ticker");
        Quantity? volume = market.TryGetProperty("volume_fp", out JsonElement v) && v.ValueKind == JsonValueKind.String && Quantity.TryParse(v.GetString(), out Quantity q) ? q : null;
        return new ListedMarket(
            ticker,
            Text(market, "event_ticker"),
            Text(market, "title"),
            Or(Text(market, "yes_sub_title"), "Yes"),
            Or(Text(market, "no_sub_title"), "No"),
            Text(market, "status"),
            Time(market, "close_time"),
            TickSize(market),
            volume,
            fees,
            Text(market, "rules_primary"))
        {
            // Kalshi's sports markets expect to be determined shortly after the game: the nearest it says to when the event happens.
            EventTime = Time(market, "expected_expiration_time"),
            OutcomeLabel = Text(market, "yes_sub_title") is { Length: > 0 } label ? label : null,
        };
    }

    private static DateTimeOffset? Time(JsonElement market, string name) =>
        DateTimeOffset.TryParse(Text(market, name), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset at) ? at : null;

    /// <summary>The finest step of the market's price grid: from <c>price_ranges</c>, else from the structure's name, else one cent.</summary>
    internal static Price TickSize(JsonElement market)
    {
        if (market.TryGetProperty("price_ranges", out JsonElement ranges) && ranges.ValueKind == JsonValueKind.Array)
        {
            Price finest = Price.One;
            foreach (JsonElement range in ranges.EnumerateArray())
            {
                if (range.TryGetProperty("step", out JsonElement step) && Price.TryParse(step.ToString().AsSpan(), out Price p) && p.Micros > 0 && p < finest)
                {
                    finest = p;
                }
            }

            if (finest < Price.One)
            {
                return finest;
            }
        }

        return Text(market, "price_level_structure") switch
        {
            "deci_cent" or "tapered_deci_cent" => Price.FromMicros(1_000),
            _ => Price.Cent,
        };
    }

    /// <summary>
    /// Each event's fees (from its series) and whether Kalshi marks its markets mutually exclusive:
    /// <c>GET /events/{ticker}</c> per event, <c>GET /series/{ticker}</c> per series.
    /// </summary>
    private async Task<Dictionary<string, (string Fees, bool? MutuallyExclusive)>> EventFactsAsync(IEnumerable<string> events, CancellationToken cancellationToken)
    {
        var facts = new Dictionary<string, (string Series, bool? MutuallyExclusive)>(StringComparer.Ordinal);
        foreach (string e in events.Distinct(StringComparer.Ordinal))
        {
            using JsonDocument doc = await venue.Rest.GetAsync($"/events/{Uri.EscapeDataString(e)}", cancellationToken).ConfigureAwait(false);
            JsonElement ev = doc.RootElement.GetProperty("event");
            bool? exclusive = ev.TryGetProperty("mutually_exclusive", out JsonElement m) && m.ValueKind is JsonValueKind.True or JsonValueKind.False ? m.GetBoolean() : null;
            facts[e] = (ev.GetProperty("series_ticker").GetString() ?? "", exclusive);
        }

        var feesOfSeries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string s in facts.Values.Select(f => f.Series).Distinct(StringComparer.Ordinal))
        {
            using JsonDocument doc = await venue.Rest.GetAsync($"/series/{Uri.EscapeDataString(s)}", cancellationToken).ConfigureAwait(false);
            feesOfSeries[s] = KalshiFees.FromSeries(doc.RootElement.GetProperty("series")).Text;
        }

        return facts.ToDictionary(p => p.Key, p => (feesOfSeries[p.Value.Series], p.Value.MutuallyExclusive), StringComparer.Ordinal);
    }

    private static void Append(StringBuilder path, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            path.Append('&').Append(key).Append('=').Append(Uri.EscapeDataString(value));
        }
    }

    private static string Text(JsonElement o, string name) =>
        o.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : "";

    private static string Or(string text, string fallback) => text.Length > 0 ? text : fallback;
}
