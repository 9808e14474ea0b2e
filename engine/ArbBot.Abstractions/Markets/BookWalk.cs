using ArbBot.Abstractions.FixedPoint;

namespace ArbBot.Abstractions.Markets;

/// <summary>The result of walking a book: how much can be traded, at what total, down to which price, and the fee.</summary>
/// <param name="Quantity">Contracts the walk could fill.</param>
/// <param name="Notional">Total price of those contracts before fees (cost for a buy, rounded up; proceeds for a sell, rounded down).</param>
/// <param name="Fee">Taker fee the venue would charge for taking them in one order (per-fill and per-order rounding applied).</param>
/// <param name="WorstPrice">Price of the last level touched: the limit to send to get this fill; zero if nothing fills.</param>
/// <param name="Levels">Number of levels touched.</param>
public readonly record struct BookWalk(Quantity Quantity, Money Notional, Money Fee, Price WorstPrice, int Levels)
{
    /// <summary>Notional plus fee for a buy: what the contracts cost in all.</summary>
    public Money CostWithFee => Notional + Fee;

    /// <summary>Notional minus fee for a sell: what the contracts bring in all.</summary>
    public Money ProceedsAfterFee => Notional - Fee;

    /// <summary>Average price per contract before fees, rounded up to a micro-dollar; zero when nothing fills.</summary>
    public Price AveragePriceRoundedUp =>
        Quantity.Micros == 0
            ? Price.Zero
            : Price.FromMicros((long)((((Int128)Notional.Micros * 1_000_000) + Quantity.Micros - 1) / Quantity.Micros));
}
