using ArbBot.Abstractions.FixedPoint;
using System.Collections.Concurrent;
using ArbBot.Abstractions.Markets;

namespace ArbBot.Venues.Polymarket.Execution;

/// <summary>
/// Which token stands for YES and which for NO in each subscribed market, as the pair leg says
/// (pairing may have swapped them against the venue's list order). The connector fills it; the
/// executor reads it, so an order for the engine's YES goes to the token the engine calls YES.
/// It also carries each market's tick as the market channel last announced it (<c>tick_size_change</c>),
/// which the executor prices orders with instead of the tick it read when it first traded the market.
/// </summary>
internal sealed class TokenRegistry
{
    private readonly ConcurrentDictionary<string, (MarketHandle Market, string Yes, string No)> _markets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<MarketHandle, Price> _ticks = new();

    /// <summary>The market channel announced a new tick for a market.</summary>
    public void TickChanged(MarketHandle market, Price tick)
    {
        if (tick.IsValidBinaryPrice)
        {
            _ticks[market] = tick;
        }
    }

    /// <summary>The tick last announced for a market, if any was.</summary>
    public bool TryGetTick(string conditionId, out Price tick)
    {
        tick = default;
        return _markets.TryGetValue(conditionId, out var m) && _ticks.TryGetValue(m.Market, out tick);
    }

    public void Add(string conditionId, MarketHandle market, string yes, string no) => _markets[conditionId] = (market, yes, no);

    public bool TryGet(string conditionId, out (MarketHandle Market, string Yes, string No) tokens) => _markets.TryGetValue(conditionId, out tokens);

    public IReadOnlyList<string> ConditionIds => _markets.Keys.ToList();
}
