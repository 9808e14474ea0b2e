using ArbBot.Abstractions.FixedPoint;

namespace ArbBot.Engine.Books;

/// <summary>The result of walking a book: how much can be traded, at what total, down to which price.</summary>
/// <param name="Quantity">Contracts that the walk could fill.</param>
/// <param name="Notional">Total price of those contracts (cost for a buy, rounded up; proceeds for a sell, rounded down). Fees not included.</param>
/// <param name="WorstPrice">Price of the last level touched (the limit to send to get this fill); zero if nothing fills.</param>
/// <param name="Levels">Number of levels touched.</param>
public readonly record struct BookWalk(Quantity Quantity, Money Notional, Price WorstPrice, int Levels)
{
    /// <summary>Average price per contract, rounded up to a micro-dollar; zero when nothing fills.</summary>
    public Price AveragePriceRoundedUp =>
        Quantity.Micros == 0
            ? Price.Zero
            : Price.FromMicros((long)(((Int128)Notional.Micros * 1_000_000 + Quantity.Micros - 1) / Quantity.Micros));
}
