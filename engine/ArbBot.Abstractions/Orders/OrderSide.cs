namespace ArbBot.Abstractions.Orders;

/// <summary>Direction of an order.</summary>
public enum OrderSide : byte
{
    /// <summary>Buy contracts of the order's outcome.</summary>
    Buy = 0,

    /// <summary>Sell contracts of the order's outcome.</summary>
    Sell = 1,
}
