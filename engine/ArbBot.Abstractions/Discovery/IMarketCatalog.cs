namespace ArbBot.Abstractions.Discovery;

/// <summary>A venue's listing of its markets (REST discovery), for <c>arbbot markets list</c> and pairing.</summary>
public interface IMarketCatalog : IAsyncDisposable
{
    /// <summary>
    /// The markets matching the query, in the venue's order. Throws <see cref="NotSupportedException"/>
    /// for a filter the venue cannot apply, and the venue's own error (with its message) when a call fails.
    /// </summary>
    Task<IReadOnlyList<ListedMarket>> ListAsync(MarketQuery query, CancellationToken cancellationToken);
}
