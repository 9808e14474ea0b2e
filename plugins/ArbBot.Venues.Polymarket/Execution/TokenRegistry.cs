using System.Collections.Concurrent;
using ArbBot.Abstractions.Markets;

namespace ArbBot.Venues.Polymarket.Execution;

/// <summary>
/// Which token stands for YES and which for NO in each subscribed market, as the pair leg says
/// (pairing may have swapped them against the venue's list order). The connector fills it; the
/// executor reads it, so an order for the engine's YES goes to the token the engine calls YES.
/// </summary>
internal sealed class TokenRegistry
{
    private readonly ConcurrentDictionary<string, (MarketHandle Market, string Yes, string No)> _markets = new(StringComparer.Ordinal);

    public void Add(string conditionId, MarketHandle market, string yes, string no) => _markets[conditionId] = (market, yes, no);

    public bool TryGet(string conditionId, out (MarketHandle Market, string Yes, string No) tokens) => _markets.TryGetValue(conditionId, out tokens);

    public IReadOnlyList<string> ConditionIds => _markets.Keys.ToList();
}
