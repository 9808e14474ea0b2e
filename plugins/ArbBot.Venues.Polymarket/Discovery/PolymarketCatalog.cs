using System.Globalization;
using System.Text;
using System.Text.Json;
using ArbBot.Abstractions.Discovery;
using ArbBot.Abstractions.Fees;
using ArbBot.Abstractions.FixedPoint;

namespace ArbBot.Venues.Polymarket.Discovery;

/// <summary>
/// Polymarket's market listing from Gamma (<c>GET /markets</c>, or one event's markets from
/// <c>GET /events/slug/{slug}</c>), paged with limit and offset. Each binary market is listed
/// with its two outcome token ids, the YES token chosen from the <c>outcomes</c> labels (the
/// token at the index of "Yes"), never from list order; a market whose outcomes are not Yes/No
/// (teams, Up/Down) lists its first outcome as YES and says so in the labels. Markets that do not
/// have exactly two outcomes and two tokens are left out.
/// </summary>
internal sealed class PolymarketCatalog(Uri gamma, HttpClient http) : IMarketCatalog
{
    private const int MaxPage = 500;

    public async Task<IReadOnlyList<ListedMarket>> ListAsync(MarketQuery query, CancellationToken cancellationToken)
    {
        string status = query.Status switch
        {
            null or "" or "any" => "",
            "open" => "&closed=false&active=true",
            "closed" or "settled" => "&closed=true",
            _ => throw new NotSupportedException($"Polymarket lists markets by status open, closed, settled or any, not \"{query.Status}\""),
        };
        string text = query.Text?.Trim() ?? "";
        var found = new List<ListedMarket>();
        if (!string.IsNullOrEmpty(query.Event))
        {
            using JsonDocument e = await GetAsync($"/events/slug/{Uri.EscapeDataString(query.Event)}", cancellationToken).ConfigureAwait(false);
            Collect(e.RootElement.GetProperty("markets"), text, query.Limit, found);
            return found;
        }

        int page = Math.Clamp(query.Limit, 1, MaxPage);
        for (int offset = 0; found.Count < query.Limit; offset += page)
        {
            var path = new StringBuilder($"/markets?limit={page}&offset={offset}{status}");
            if (!string.IsNullOrEmpty(query.Series))
            {
                path.Append("&tag_id=").Append(Uri.EscapeDataString(query.Series));
            }

            using JsonDocument doc = await GetAsync(path.ToString(), cancellationToken).ConfigureAwait(false);
            int returned = doc.RootElement.GetArrayLength();
            Collect(doc.RootElement, text, query.Limit, found);
            if (returned < page)
            {
                break;
            }
        }

        return found;
    }

    public ValueTask DisposeAsync()
    {
        http.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>One Gamma market, or null when it is not a two-outcome market.</summary>
    internal static ListedMarket? ToListed(JsonElement market)
    {
        string[] outcomes = StringArray(market, "outcomes");
        string[] tokens = StringArray(market, "clobTokenIds");
        if (outcomes.Length != 2 || tokens.Length != 2)
        {
            return null;
        }

        // YES is the token whose outcome is labelled Yes, wherever it stands in the list.
        int yes = Array.FindIndex(outcomes, o => o.Equals("Yes", StringComparison.OrdinalIgnoreCase));
        int no = Array.FindIndex(outcomes, o => o.Equals("No", StringComparison.OrdinalIgnoreCase));
        if (yes < 0 || no < 0)
        {
            (yes, no) = (0, 1);
        }

        bool closed = market.TryGetProperty("closed", out JsonElement c) && c.ValueKind == JsonValueKind.True;
        bool active = market.TryGetProperty("active", out JsonElement a) && a.ValueKind == JsonValueKind.True;
        JsonElement? firstEvent = market.TryGetProperty("events", out JsonElement events) && events.ValueKind == JsonValueKind.Array && events.GetArrayLength() > 0 ? events[0] : null;
        return new ListedMarket(
            Text(market, "conditionId") ?? "",
            firstEvent is { } e ? Text(e, "slug") ?? "" : "",
            Text(market, "question") ?? "",
            outcomes[yes],
            outcomes[no],
            closed ? "closed" : active ? "active" : "inactive",
            Time(market, "endDate"),
            Tick(market),
            null, // Gamma reports volume in dollars, not contracts
            Fees(market),
            Text(market, "description") ?? "",
            tokens[yes],
            tokens[no])
        {
            EventTime = Time(market, "gameStartTime") ?? Time(market, "eventStartTime"),
            MarketType = Text(market, "sportsMarketType"),
            Line = market.TryGetProperty("line", out JsonElement line) && line.ValueKind == JsonValueKind.Number ? line.GetRawText() : null,
            EventTitle = firstEvent is { } t ? Text(t, "title") : null,
            MinimumSize = market.TryGetProperty("orderMinSize", out JsonElement min) && Quantity.TryParse(min.GetRawText().Trim('"'), out Quantity minimum) ? minimum : null,
            NegRisk = Flag(market, "negRisk"),

            // A neg-risk event converts a NO of one outcome into YES of every other: its outcomes exclude each other.
            MutuallyExclusive = firstEvent is { } ev && Flag(ev, "negRisk") is { } eventNegRisk ? eventNegRisk : Flag(market, "negRisk"),
            OutcomeLabel = Text(market, "groupItemTitle") is { Length: > 0 } label ? label : null,
            CatchAll = Flag(market, "negRiskOther"),
            OutcomesMayBeAdded = firstEvent is { } augmented ? Flag(augmented, "negRiskAugmented") : null,
        };
    }

    /// <summary>A true/false field, or null when absent.</summary>
    private static bool? Flag(JsonElement o, string name) =>
        o.TryGetProperty(name, out JsonElement v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.ValueKind == JsonValueKind.True : null;

    /// <summary>A Gamma time: ISO 8601, or the "2026-04-05 15:10:00+00" form some fields use.</summary>
    private static DateTimeOffset? Time(JsonElement market, string name)
    {
        string? text = Text(market, name);
        if (text is not null && text.EndsWith("+00", StringComparison.Ordinal))
        {
            text += ":00";
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset at) ? at : null;
    }

    private static void Collect(JsonElement markets, string text, int limit, List<ListedMarket> found)
    {
        foreach (JsonElement market in markets.EnumerateArray())
        {
            if (found.Count < limit && ToListed(market) is { } listed && listed.Title.Contains(text, StringComparison.OrdinalIgnoreCase))
            {
                found.Add(listed);
            }
        }
    }

    /// <summary>
    /// The Gamma entries of the markets with these condition ids (<c>GET /markets?condition_ids=</c>,
    /// a few at a time), by condition id; markets Gamma does not return are absent.
    /// </summary>
    public async Task<Dictionary<string, JsonElement>> ByConditionAsync(IReadOnlyList<string> conditionIds, CancellationToken cancellationToken)
    {
        const int PerRequest = 20;
        var found = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < conditionIds.Count; i += PerRequest)
        {
            string[] chunk = conditionIds.Skip(i).Take(PerRequest).ToArray();
            string query = string.Join("&", chunk.Select(c => "condition_ids=" + Uri.EscapeDataString(c)));
            using JsonDocument page = await GetAsync($"/markets?{query}&limit={chunk.Length}", cancellationToken).ConfigureAwait(false);
            foreach (JsonElement market in page.RootElement.EnumerateArray())
            {
                if (Text(market, "conditionId") is { } condition)
                {
                    found[condition] = market.Clone();
                }
            }
        }

        return found;
    }

    /// <summary>
    /// The fee model a Gamma market entry describes (<c>feesEnabled</c>, <c>feeSchedule</c>):
    /// no fees when disabled, else takers pay its rate x p(1 - p). Null when the entry says
    /// nothing about fees, or (with <paramref name="unsupported"/> saying why) describes a
    /// schedule the engine does not model: an exponent other than 1, or makers paying too.
    /// </summary>
    public static IFeeModel? FeeModelOf(JsonElement market, out string? unsupported)
    {
        unsupported = null;
        if (market.TryGetProperty("feesEnabled", out JsonElement enabled) && enabled.ValueKind == JsonValueKind.False)
        {
            return new PolymarketFeeModel(Price.Zero);
        }

        if (!market.TryGetProperty("feeSchedule", out JsonElement schedule) || schedule.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        string rateText = schedule.TryGetProperty("rate", out JsonElement r) ? r.GetRawText().Trim('"') : "";
        string exponent = schedule.TryGetProperty("exponent", out JsonElement e) ? e.GetRawText().Trim('"') : "1";
        bool takerOnly = !schedule.TryGetProperty("takerOnly", out JsonElement t) || t.ValueKind != JsonValueKind.False;
        if (!Price.TryParse(rateText.AsSpan(), out Price rate) || rate.Micros < 0 || rate > Price.One)
        {
            unsupported = $"feeSchedule.rate \"{rateText}\" is not a rate between 0 and 1";
        }
        else if (exponent is not ("1" or "1.0"))
        {
            unsupported = $"feeSchedule.exponent {exponent} is not modelled (only 1)";
        }
        else if (!takerOnly)
        {
            unsupported = "feeSchedule.takerOnly is false (makers paying) is not modelled";
        }

        return unsupported is null ? new PolymarketFeeModel(rate) : null;
    }

    private async Task<JsonDocument> GetAsync(string pathAndQuery, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await http.GetAsync(new Uri(gamma, gamma.AbsolutePath.TrimEnd('/') + pathAndQuery), cancellationToken).ConfigureAwait(false);
        string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"Gamma GET {pathAndQuery.Split('?')[0]}: HTTP {(int)response.StatusCode}: {(body.Length > 200 ? body[..200] : body)}");
        }

        return JsonDocument.Parse(body);
    }

    /// <summary>Gamma encodes these arrays as JSON text inside a string: <c>"[\"Yes\", \"No\"]"</c>.</summary>
    private static string[] StringArray(JsonElement market, string name)
    {
        if (!market.TryGetProperty(name, out JsonElement value))
        {
            return [];
        }

        JsonElement array = value;
        using JsonDocument? inner = value.ValueKind == JsonValueKind.String ? JsonDocument.Parse(value.GetString() ?? "[]") : null;
        if (inner is not null)
        {
            array = inner.RootElement;
        }

        return array.ValueKind == JsonValueKind.Array ? array.EnumerateArray().Select(e => e.GetString() ?? "").ToArray() : [];
    }

    private static Price Tick(JsonElement market) =>
        market.TryGetProperty("orderPriceMinTickSize", out JsonElement t) && Price.TryParse(t.GetRawText().Trim('"').AsSpan(), out Price tick) && tick.Micros > 0
            ? tick
            : Price.Cent;

    private static string Fees(JsonElement market)
    {
        if (market.TryGetProperty("feesEnabled", out JsonElement enabled) && enabled.ValueKind == JsonValueKind.False)
        {
            return "none";
        }

        if (market.TryGetProperty("feeSchedule", out JsonElement schedule) && schedule.ValueKind == JsonValueKind.Object)
        {
            string rate = schedule.TryGetProperty("rate", out JsonElement r) ? r.GetRawText().Trim('"') : "?";
            string exponent = schedule.TryGetProperty("exponent", out JsonElement e) ? e.GetRawText().Trim('"') : "1";
            return $"taker {rate} x (p(1-p))^{exponent}";
        }

        return Text(market, "feeType") is { } type ? $"{type} (rate from the venue)" : "unknown";
    }

    private static string? Text(JsonElement o, string name) =>
        o.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
