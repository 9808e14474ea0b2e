using ArbBot.Abstractions.FixedPoint;

namespace ArbBot.Engine.Orders;

/// <summary>What settling one market did: the contracts held of each outcome, what the winners paid, and the profit or loss booked.</summary>
public readonly record struct MarketSettlement(Quantity Yes, Quantity No, Money Payout, Money Pnl);
