using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;

namespace ArbBot.Abstractions.Orders;

/// <summary>A limit order the engine asks an executor to place.</summary>
/// <param name="ClientOrderId">Unique id chosen by the engine; every update and fill refers to it.</param>
/// <param name="Market">The engine's handle for the market.</param>
/// <param name="MarketId">The venue's market id.</param>
/// <param name="Outcome">Which outcome's contracts to trade.</param>
/// <param name="Side">Buy or sell.</param>
/// <param name="LimitPrice">Worst acceptable price per contract of <paramref name="Outcome"/>.</param>
/// <param name="Quantity">Contracts.</param>
/// <param name="TimeInForce">How long it may rest.</param>
/// <param name="PostOnly">Reject rather than take liquidity (maker orders).</param>
/// <param name="ExpiresAtMs">For <see cref="TimeInForce.GoodTillDate"/>: when what is left is cancelled (Unix ms); 0 otherwise.</param>
public sealed record OrderRequest(
    string ClientOrderId,
    MarketHandle Market,
    string MarketId,
    Outcome Outcome,
    OrderSide Side,
    Price LimitPrice,
    Quantity Quantity,
    TimeInForce TimeInForce,
    bool PostOnly = false,
    long ExpiresAtMs = 0)
{
    /// <summary>The expiry in whole Unix seconds, rounded up (venues take seconds; never before the asked time).</summary>
    public long ExpiresAtSeconds => (ExpiresAtMs + 999) / 1000;

    /// <summary>Why a good-till-date order ended at its expiry, for its final update.</summary>
    public string ExpiredReason => $"good till {DateTimeOffset.FromUnixTimeMilliseconds(ExpiresAtMs):O}: expired";
}
