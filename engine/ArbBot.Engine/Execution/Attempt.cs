using ArbBot.Abstractions.FixedPoint;
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

    /// <summary>Edge realised on the matched quantity (set when done, for groups of opposite outcomes).</summary>
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
    internal static string KindOf(IntentGroup group) => group.Legs.Count switch
    {
        1 => "single",
        2 => "pair",
        _ => "basket",
    };
}
