using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Plugins;
using ArbBot.Engine.Books;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Hosting.Status;
using ArbBot.Engine.Mirror;
using ArbBot.Engine.Orders;
using Microsoft.Extensions.Logging;

namespace ArbBot.Engine.Hosting;

/// <summary>
/// A pairs-file change applied to the running engine: the markets of pairs taken out are
/// unsubscribed and those of new pairs subscribed, and nothing else is touched (the other books
/// keep their epoch, orders and quotes keep working). Pairs keep their index for good: a pair taken
/// out is retired in its place (its books stale, no strategy sees them), a new one is appended.
/// </summary>
public sealed partial class EngineHost
{
    private readonly List<PairConfig> _slots = new(); // the config of each pair, by event index (retired ones included)
    private readonly HashSet<int> _retired = new();
    private readonly HashSet<int> _retiredBooks = new(); // their books (kernel thread)
    private EnginePublisher? _publisher;

    /// <summary>Whether the pair at <paramref name="eventIndex"/> was taken out of the pairs file while running.</summary>
    public bool IsRetired(int eventIndex) => _retired.Contains(eventIndex);

    /// <summary>
    /// Applies a changed set of pairs without a restart. Returns what was done, or why it cannot be
    /// done in place (the caller then restarts the engine on the new set, as before): outcome
    /// groups, a shared budget, pair ownership, a recording, a pair taken out while it holds a
    /// position or working orders, a venue not running or whose plugin cannot unsubscribe.
    /// </summary>
    public async Task<PairsChange> ChangePairsAsync(ArbBotConfig next, CancellationToken cancellationToken)
    {
        await _reloadGate.WaitAsync(cancellationToken).ConfigureAwait(false); // a plugin reload does not swap a connector under it
        try
        {
            return await ChangePairsNowAsync(next, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _reloadGate.Release();
        }
    }

    private async Task<PairsChange> ChangePairsNowAsync(ArbBotConfig next, CancellationToken cancellationToken)
    {
        string? why = _options.Replay ? "a replay's markets are the recording's"
            : _options.Recorder is not null ? "a recorded session keeps the markets it started with"
            : _config.Groups.Count > 0 || next.Groups.Count > 0 ? "outcome groups are configured (their units follow the pairs)"
            : SharedBudget is not null ? "risk.shared_budget shares its units with other engines"
            : Ownership is not null ? "engine.ownership_lease shares its pairs with other engines"
            : null;
        if (why is not null)
        {
            return PairsChange.Restart(why);
        }

        var active = Enumerable.Range(0, _pairs.Count).Where(e => !_retired.Contains(e)).ToDictionary(e => Key(_slots[e]), e => e, StringComparer.Ordinal);
        var wanted = next.Pairs.Select(Key).ToHashSet(StringComparer.Ordinal);
        List<int> removed = active.Where(a => !wanted.Contains(a.Key)).Select(a => a.Value).Order().ToList();
        List<PairConfig> added = next.Pairs.Where(p => !active.ContainsKey(Key(p))).ToList();
        foreach (string venue in added.SelectMany(p => p.Legs).Select(l => l.Venue).Concat(removed.SelectMany(e => _slots[e].Legs).Select(l => l.Venue)).Distinct())
        {
            if (_venues.First(v => v.Name == venue).Connector is null)
            {
                return PairsChange.Restart($"venue {venue} is not running");
            }
        }

        // A pair taken out must be flat and idle: its hedges and unwinds need its books.
        string? busy = await Kernel.InvokeAsync(() => removed.Select(Busy).FirstOrDefault(b => b is not null)).ConfigureAwait(false);
        if (busy is not null)
        {
            return PairsChange.Restart(busy);
        }

        foreach (IGrouping<int, MarketHandle> venueMarkets in removed.SelectMany(e => _pairs[e].Legs).GroupBy(h => Kernel.Books[h].VenueIndex))
        {
            VenueRuntime venue = _venues[venueMarkets.Key];
            try
            {
                await venue.Connector!.UnsubscribeAsync(venueMarkets.ToList(), cancellationToken).ConfigureAwait(false);
            }
            catch (NotSupportedException ex)
            {
                return PairsChange.Restart($"venue {venue.Name}: {ex.Message}");
            }
        }

        // One kernel turn: no event sees half the change.
        var subscribe = new Dictionary<VenueRuntime, List<MarketSubscription>>();
        RedisMirror? replaced = null;
        string? busyNow = await Kernel.InvokeAsync<string?>(() =>
        {
            // Checked again in the turn that retires them: an order may have been sent while they were being unsubscribed.
            if (removed.Select(Busy).FirstOrDefault(b => b is not null) is { } tookOrders)
            {
                return tookOrders;
            }

            foreach (int e in removed)
            {
                _retired.Add(e);
                foreach (MarketHandle market in _pairs[e].Legs)
                {
                    Kernel.Books.Invalidate(market, "taken out of the pairs file"); // stale for good: no order can use it
                    _retiredBooks.Add(market.Value);
                    _venues[Kernel.Books[market].VenueIndex].Subscriptions.RemoveAll(s => s.Handle == market);
                }
            }

            foreach (PairConfig pair in added)
            {
                var handles = new List<MarketHandle>();
                foreach (PairLegConfig leg in pair.Legs)
                {
                    VenueRuntime venue = _venues.First(v => v.Name == leg.Venue);
                    MarketHandle handle = Kernel.Books.Register(venue.Index, venue.Name, leg.Market, venue.Connector!.BookStyle);
                    Kernel.Books[handle].Fees = venue.Config.Fees;
                    if (venue.Connector.BookStyle == BookStyle.BidsOnly)
                    {
                        Inventory.NetOutcomes(handle);
                    }

                    var subscription = new MarketSubscription(handle, leg.Market, leg.YesId, leg.NoId);
                    venue.Subscriptions.Add(subscription);
                    (subscribe.TryGetValue(venue, out List<MarketSubscription>? list) ? list : subscribe[venue] = []).Add(subscription);
                    handles.Add(handle);
                }

                _pairs.Add(new MarketPair(pair.EventId, handles));
                _slots.Add(pair);
            }

            Inventory.MapEvents(_pairs);
            Inventory.MapGroups([]);
            Execution.UsePairs(_config with { Pairs = _slots.ToList() });
            Execution.Risk.Cash?.BooksAdded();
            _pairWatch?.UsePairs(_pairs, _retired);
            if (Mirror is { } mirror)
            {
                // The mirror keeps a slot per book: a new one over all of them takes over (it writes the full state once connected).
                replaced = mirror;
                Mirror = NewMirror();
                Pipeline.ReplaceObserver(replaced, Mirror);
                Unwire(replaced);
            }

            return null;
        }).ConfigureAwait(false);
        if (busyNow is not null)
        {
            // Nothing was changed: their markets stream again, and the restart takes the pairs out with a wind-down.
            foreach (IGrouping<int, MarketHandle> venueMarkets in removed.SelectMany(e => _pairs[e].Legs).GroupBy(h => Kernel.Books[h].VenueIndex))
            {
                VenueRuntime venue = _venues[venueMarkets.Key];
                await venue.Connector!.SubscribeAsync(venue.Subscriptions.Where(s => venueMarkets.Contains(s.Handle)).ToList(), cancellationToken).ConfigureAwait(false);
            }

            return PairsChange.Restart(busyNow);
        }

        if (replaced is not null)
        {
            Mirror!.Start();
            replaced.Dispose();
        }

        IReadOnlyList<string> strategies = await Strategies.UsePairsAsync(_pairs, _retired).ConfigureAwait(false);
        List<int> live = Enumerable.Range(0, _pairs.Count).Where(e => !_retired.Contains(e)).ToList();
        Volatile.Write(ref _publisher, new EnginePublisher(_config with { Pairs = live.Select(e => _slots[e]).ToList() }, live.Select(e => _pairs[e].EventId).ToList()));
        foreach ((VenueRuntime venue, List<MarketSubscription> markets) in subscribe)
        {
            await venue.Connector!.SubscribeAsync(markets, cancellationToken).ConfigureAwait(false);
        }

        int unsubscribed = removed.Sum(e => _pairs[e].Legs.Count);
        int subscribed = subscribe.Values.Sum(l => l.Count);
        _logger.LogInformation("pairs changed in place: {Subscribed} markets subscribed, {Unsubscribed} unsubscribed; the other {Kept} pairs' books were not touched",
            subscribed, unsubscribed, ActivePairCount - added.Count);
        foreach (string line in strategies)
        {
            _logger.LogInformation("{Line}", line);
        }

        return PairsChange.Applied(added.Select(p => p.EventId).ToList(), removed.Select(e => _pairs[e].EventId).ToList(), subscribed, unsubscribed);
    }

    /// <summary>Why a pair cannot be taken out now (kernel thread), or null when it is flat and idle.</summary>
    private string? Busy(int eventIndex)
    {
        string id = _pairs[eventIndex].EventId;
        EventExposure x = Inventory.ExposureOf(eventIndex);
        if (!x.Yes.IsZero || !x.No.IsZero || x.OpenBuys != Abstractions.FixedPoint.Money.Zero)
        {
            return $"{id} is taken out but holds a position or open buys (YES {x.Yes}, NO {x.No})";
        }

        if (Execution.Policy.IsLegged(eventIndex) || Execution.Orders.Working.Any(o => _pairs[eventIndex].Legs.Contains(o.Request.Market)))
        {
            return $"{id} is taken out but has working orders or a legged episode";
        }

        return null;
    }

    /// <summary>A pair as the pairs file gives it: the event and every leg's venue, market and outcome ids.</summary>
    private static string Key(PairConfig p) => p.EventId + " " + string.Join(" | ", p.Legs.Select(l => $"{l.Venue}:{l.Market}:{l.YesId}:{l.NoId}"));
}
