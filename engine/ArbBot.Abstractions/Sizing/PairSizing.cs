using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;

namespace ArbBot.Abstractions.Sizing;

/// <summary>The answer of <see cref="EdgeSizer.FindPair"/>: zero quantity when no size clears the rules.</summary>
/// <param name="Quantity">Contracts of each leg to buy (whole).</param>
/// <param name="Cost">What both legs cost, fees included.</param>
/// <param name="Edge">$1 per pair minus <paramref name="Cost"/>.</param>
/// <param name="First">The first leg's walk at that size: its worst price is the order's limit.</param>
/// <param name="Second">The second leg's walk.</param>
public readonly record struct PairSizing(Quantity Quantity, Money Cost, Money Edge, BookWalk First, BookWalk Second)
{
    /// <summary>Edge in basis points of the cost.</summary>
    public long EdgeBps => Cost.Micros == 0 ? 0 : Edge.Micros * 10_000 / Cost.Micros;
}
