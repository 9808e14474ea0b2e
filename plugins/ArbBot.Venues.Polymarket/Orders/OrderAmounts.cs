using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Orders;

namespace ArbBot.Venues.Polymarket.Orders;

/// <summary>
/// A limit order's amounts in the exchange's base units (6 decimals, pUSD and outcome tokens alike).
/// BUY: the maker gives size x price pUSD and takes size shares; SELL: gives size shares, takes size
/// x price. Sizes have 2 decimals and prices lie on the market's tick (docs/venues/PROTOCOLS.md 2.5), so the
/// product is exact: nothing is rounded here; what breaks the rules is refused, saying why.
/// </summary>
internal readonly record struct OrderAmounts(long MakerAmount, long TakerAmount)
{
    private const long SizeStep = 10_000; // 0.01 share in micros

    public static OrderAmounts For(OrderSide side, Price price, Quantity size, Price tick)
    {
        if (tick.Micros <= 0 || price.Micros <= 0 || price.Micros >= Price.One.Micros || price.Micros % tick.Micros != 0)
        {
            throw new ArgumentException($"price {price} is not on the market's tick {tick} strictly between 0 and 1");
        }

        if (size.Micros <= 0 || size.Micros % SizeStep != 0)
        {
            throw new ArgumentException($"size {size} must be a positive multiple of 0.01 shares");
        }

        // micros x micros / 10^6 = micros, exact: size has 2 decimals and price at most 4.
        long notional = (long)((Int128)price.Micros * size.Micros / 1_000_000);
        return side == OrderSide.Buy ? new OrderAmounts(notional, size.Micros) : new OrderAmounts(size.Micros, notional);
    }
}
