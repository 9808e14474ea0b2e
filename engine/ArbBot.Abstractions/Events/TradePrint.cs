using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;

namespace ArbBot.Abstractions.Events;

/// <summary>
/// A trade on the venue's public tape (anyone's, ours included): <see cref="Size"/> contracts of
/// <see cref="Outcome"/> changed hands at <see cref="Price"/>, and the taker
/// <see cref="Aggressor"/> (bought or sold that outcome). A value type: handing one to the
/// kernel allocates nothing. Kalshi's "taker bought YES at 0.41" is (Yes, 0.41, Buy), the same
/// trade as (No, 0.59, Sell).
/// </summary>
/// <param name="Market">The market.</param>
/// <param name="Outcome">The outcome the price is for.</param>
/// <param name="Price">The trade price of that outcome.</param>
/// <param name="Size">Contracts traded.</param>
/// <param name="Aggressor">What the taker did with that outcome.</param>
/// <param name="VenueTimestampMs">The venue's time of the trade, Unix milliseconds (0 if none).</param>
/// <param name="ReceivedTimestamp"><see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> at receipt.</param>
public readonly record struct TradePrint(
    MarketHandle Market,
    Outcome Outcome,
    Price Price,
    Quantity Size,
    OrderSide Aggressor,
    long VenueTimestampMs,
    long ReceivedTimestamp)
{
    /// <summary>The same trade told from the other outcome's side (price 1 - p, the taker's side reversed).</summary>
    public TradePrint As(Outcome outcome) => outcome == Outcome
        ? this
        : this with { Outcome = outcome, Price = Price.Complement, Aggressor = Aggressor == OrderSide.Buy ? OrderSide.Sell : OrderSide.Buy };
}
