using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Engine.Orders;

namespace ArbBot.Engine.Execution;

/// <summary>What the <see cref="LeggedPolicy"/> may ask of execution: the narrow way it acts, so it never reaches into order state.</summary>
public interface IPolicyOrders
{
    /// <summary>Whether an IOC/FOK order of the event is still working (its outcome will change the balance).</summary>
    bool HasImmediateWorking(int eventIndex);

    /// <summary>Whether a venue can take an order now (it has an executor).</summary>
    bool CanTrade(int venueIndex);

    /// <summary>Sends one immediate order for the engine itself (a hedge or an unwind). Returns it, or null if the venue cannot take it.</summary>
    ManagedOrder? SendPolicyOrder(int eventIndex, MarketHandle market, Outcome outcome, OrderSide side, Price limit, Quantity quantity, OrderRole role, string reason);

    /// <summary>Cancels every working order of an event (before unwinding it).</summary>
    void CancelEvent(int eventIndex);
}
