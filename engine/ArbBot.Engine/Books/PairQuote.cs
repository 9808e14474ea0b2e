using ArbBot.Abstractions.FixedPoint;

namespace ArbBot.Engine.Books;

/// <summary>
/// Top-of-book cost of the two "dutch book" directions of a pair before fees: YES on A + NO on B,
/// and YES on B + NO on A. Each total below $1 is a gross edge.
/// </summary>
/// <param name="YesAPlusNoB">Best YES ask on A plus best NO ask on B; null if a side is empty or a book is stale.</param>
/// <param name="YesBPlusNoA">Best YES ask on B plus best NO ask on A; null if a side is empty or a book is stale.</param>
public readonly record struct PairQuote(Price? YesAPlusNoB, Price? YesBPlusNoA)
{
    /// <summary>Whether either direction costs less than $1 before fees.</summary>
    public bool HasGrossEdge =>
        (YesAPlusNoB is { } a && a < Price.One) || (YesBPlusNoA is { } b && b < Price.One);
}
