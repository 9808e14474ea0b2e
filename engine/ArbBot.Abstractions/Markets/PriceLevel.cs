using ArbBot.Abstractions.FixedPoint;

namespace ArbBot.Abstractions.Markets;

/// <summary>One level of an order book: a price and the total size resting there.</summary>
/// <param name="Price">Price per contract.</param>
/// <param name="Quantity">Contracts resting at that price.</param>
public readonly record struct PriceLevel(Price Price, Quantity Quantity);
