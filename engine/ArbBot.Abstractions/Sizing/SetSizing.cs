using ArbBot.Abstractions.FixedPoint;

namespace ArbBot.Abstractions.Sizing;

/// <summary>The answer of <see cref="EdgeSizer"/>'s <c>Find</c>: zero quantity when no size clears the rules.</summary>
/// <param name="Quantity">Contracts of every leg to buy (whole).</param>
/// <param name="Cost">What all legs cost at that size, fees included.</param>
/// <param name="Edge">What the sets pay ($1 each, or the payout given) minus <paramref name="Cost"/>.</param>
/// <param name="Evaluations">Sizes whose edge the search computed (for benchmarks and tests).</param>
public readonly record struct SetSizing(Quantity Quantity, Money Cost, Money Edge, int Evaluations)
{
    /// <summary>Edge in basis points of the cost.</summary>
    public long EdgeBps => Cost.Micros == 0 ? 0 : Edge.Micros * 10_000 / Cost.Micros;
}
