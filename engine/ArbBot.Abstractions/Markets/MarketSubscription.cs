namespace ArbBot.Abstractions.Markets;

/// <summary>A market the engine asks a connector to stream.</summary>
/// <param name="Handle">The engine's handle; every event for this market must carry it.</param>
/// <param name="MarketId">The venue's market id (Kalshi ticker, Polymarket condition id, sim id).</param>
/// <param name="YesId">The venue's instrument for YES where outcomes have their own (Polymarket token id); otherwise null.</param>
/// <param name="NoId">The venue's instrument for NO where outcomes have their own; otherwise null.</param>
public sealed record MarketSubscription(MarketHandle Handle, string MarketId, string? YesId = null, string? NoId = null);
