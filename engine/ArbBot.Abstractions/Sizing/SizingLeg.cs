using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Strategies;

namespace ArbBot.Abstractions.Sizing;

/// <summary>One leg of a set to buy: an outcome on a book, bought at the book's asks.</summary>
/// <param name="Book">The book to buy from.</param>
/// <param name="Outcome">The outcome to buy.</param>
public readonly record struct SizingLeg(IBookView Book, Outcome Outcome);
