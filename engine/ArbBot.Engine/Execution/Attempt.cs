using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Orders;
using ArbBot.Abstractions.Strategies;

namespace ArbBot.Engine.Execution;

/// <summary>One intent group turned into orders, followed until every order is done.</summary>
public sealed class Attempt
{
    internal Attempt(long groupId, string strategy, int eventIndex, string eventId, string kind, long dedupKey, Money expectedEdge, long createdTimestamp, ManagedOrder[] orders)
    {
        GroupId = groupId;
        Strategy = strategy;
        EventIndex = eventIndex;
        EventId = eventId;
        Kind = kind;
        DedupKey = dedupKey;
        ExpectedEdge = expectedEdge;
        CreatedTimestamp = createdTimestamp;
        Orders = orders;
    }

    /// <summary>The intent group's id.</summary>
    public long GroupId { get; }

    /// <summary>Strategy that emitted it ("engine" for the legged policy and flatten).</summary>
    public string Strategy { get; }

    /// <summary>Event (pair) index.</summary>
    public int EventIndex { get; }

    /// <summary>Event id.</summary>
    public string EventId { get; }

    /// <summary>pair, single, basket, hedge or unwind.</summary>
    public string Kind { get; }

    /// <summary>Legs (market, outcome, side; price for resting groups): one live attempt per key.</summary>
    public long DedupKey { get; }

    /// <summary>Edge the strategy computed.</summary>
    public Money ExpectedEdge { get; }

    /// <summary>Stopwatch ticks when sent.</summary>
    public long CreatedTimestamp { get; }

    /// <summary>Its orders, by leg.</summary>
    public ManagedOrder[] Orders { get; }

    /// <summary>Where it stands.</summary>
    public AttemptStatus Status { get; internal set; }

    /// <summary>
    /// What one complete set of the legs pays whatever happens ($1 for a YES+NO pair, N - 1 for a
    /// NO basket over N outcomes), as risk found it; null when the legs are not a complete set.
    /// </summary>
    public Money? SetPayout { get; init; }

    /// <summary>The pair's fencing number when it was sent (<c>engine.ownership_lease</c>; 0 without ownership).</summary>
    public long Fence { get; internal set; }

    /// <summary>Edge realised on the matched quantity (set when done, for pairs of opposite outcomes and complete baskets).</summary>
    public Money? RealisedEdge { get; internal set; }

    /// <summary>Whether every order is done.</summary>
    public bool AllDone
    {
        get
        {
            foreach (ManagedOrder order in Orders)
            {
                if (!order.IsDone)
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>The intent action that made it.</summary>
    /// <summary>
    /// Judges the finished attempt: unfilled, filled, legged (legs filled unequally) or partially
    /// filled; for a bought YES+NO pair or a complete basket, the realised edge on the matched
    /// quantity (what the sets pay minus each leg's average cost, fees in). Returns the matched quantity (the smallest leg's fill).
    /// </summary>
    internal Quantity Judge()
    {
        Quantity min = Orders[0].Filled, max = min;
        bool allFull = true;
        foreach (ManagedOrder order in Orders)
        {
            min = Quantity.Min(min, order.Filled);
            max = Quantity.Max(max, order.Filled);
            allFull &= order.Filled >= order.Request.Quantity;
        }

        Status = max.IsZero ? AttemptStatus.Unfilled
            : allFull ? AttemptStatus.Filled
            : min != max && Orders.Length > 1 ? AttemptStatus.Legged
            : AttemptStatus.PartiallyFilled;
        bool oppositePair = Orders.Length == 2 && Orders[0].Request.Outcome != Orders[1].Request.Outcome
            && Orders[0].Request.Side == OrderSide.Buy && Orders[1].Request.Side == OrderSide.Buy;
        Money? payout = SetPayout ?? (oppositePair ? Money.FromMicros(FixedDecimal.Scale) : null);
        if (payout is { } each && !min.IsZero)
        {
            Money cost = Money.Zero;
            foreach (ManagedOrder order in Orders)
            {
                cost += Money.FromMicros((long)((Int128)(order.Notional + order.Fees).Micros * min.Micros / order.Filled.Micros));
            }

            RealisedEdge = Money.FromMicros((long)((Int128)each.Micros * min.Micros / FixedDecimal.Scale)) - cost;
        }

        return min;
    }

    /// <summary>
    /// The legs of a group (market, outcome, side; and the price of a resting leg: a quote at a new
    /// price is a new quote), as one number: a group with the same key as a working one is a duplicate.
    /// </summary>
    internal static long DedupKeyOf(IntentGroup group)
    {
        long key = LegsKey(group);
        foreach (OrderIntent leg in group.Legs)
        {
            if (leg.TimeInForce.Rests())
            {
                key = (key * 31) + leg.LimitPrice.Micros;
            }
        }

        return key;
    }

    /// <summary>The legs of a group (market, outcome, side), as one number.</summary>
    internal static long LegsKey(IntentGroup group)
    {
        long key = 17;
        foreach (OrderIntent leg in group.Legs)
        {
            key = (key * 31) + (leg.Market.Value * 8) + ((int)leg.Outcome * 2) + (int)leg.Side;
        }

        return key;
    }

    internal static string KindOf(IntentGroup group) => group.Legs.Count switch
    {
        1 => "single",
        2 => "pair",
        _ => "basket",
    };
}
