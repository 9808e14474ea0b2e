using System.Text.Json;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Plugins;

namespace ArbBot.Venues.Polymarket.Discovery;

/// <summary>
/// Each subscribed market's own fee settings, from its Gamma entry (<c>feesEnabled</c>,
/// <c>feeSchedule</c>), handed to the engine (<c>OnMarketFees</c>) so that edges are computed
/// with what that market charges rather than the configured rate. A market Gamma does not
/// describe, or describes with a schedule the engine does not model, keeps the configured fee
/// model, with a warning saying which and why. Runs once after subscribing, off the feed's threads.
/// </summary>
internal sealed class PolymarketMarketFees(PolymarketCatalog catalog, VenueContext context)
{
    public async Task ReportAsync(IReadOnlyList<MarketSubscription> markets, CancellationToken cancellationToken)
    {
        Dictionary<string, JsonElement> entries;
        try
        {
            entries = await catalog.ByConditionAsync(markets.Select(m => m.MarketId).ToList(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or ObjectDisposedException or JsonException or InvalidOperationException)
        {
            context.Log.Warn($"market fees not read from Gamma ({ex.Message}): the configured fee model applies to all {markets.Count} markets");
            return;
        }

        var kept = new List<string>();
        foreach (MarketSubscription market in markets)
        {
            if (!entries.TryGetValue(market.MarketId, out JsonElement entry))
            {
                kept.Add($"{market.MarketId} (not in Gamma's answer)");
                continue;
            }

            if (PolymarketCatalog.FeeModelOf(entry, out string? unsupported) is { } model)
            {
                context.Books.OnMarketFees(market.Handle, model);
            }
            else
            {
                kept.Add($"{market.MarketId} ({unsupported ?? "no fee settings"})");
            }
        }

        if (kept.Count > 0)
        {
            context.Log.Warn($"the configured fee model applies to {kept.Count} of {markets.Count} markets: {string.Join(", ", kept.Take(5))}{(kept.Count > 5 ? ", ..." : "")}");
        }
        else
        {
            context.Log.Info($"fees of all {markets.Count} markets from Gamma");
        }
    }
}
