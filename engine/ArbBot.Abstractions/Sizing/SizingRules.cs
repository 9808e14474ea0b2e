using ArbBot.Abstractions.FixedPoint;

namespace ArbBot.Abstractions.Sizing;

/// <summary>What a buy of one contract of every leg (a set with a fixed payout) must clear to be worth doing.</summary>
/// <param name="MinEdgeUsd">Least edge after fees, in dollars, for the whole size.</param>
/// <param name="MinEdgeBps">Least edge after fees, in basis points of the cost (fees included).</param>
/// <param name="MaxSlippage">How far past its best ask a leg may walk.</param>
/// <param name="MaxQuantity">Most contracts of each leg (whole contracts are traded; a fraction here is dropped).</param>
/// <param name="MaxOrderUsd">Most any one leg's order may be worth at its limit price (the risk check's per-order limit).</param>
public readonly record struct SizingRules(Money MinEdgeUsd, long MinEdgeBps, Price MaxSlippage, Quantity MaxQuantity, Money MaxOrderUsd);
