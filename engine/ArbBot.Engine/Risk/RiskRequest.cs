using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Orders;
using ArbBot.Abstractions.Strategies;

namespace ArbBot.Engine.Risk;

/// <summary>
/// The group under check and what the checks share about it. One instance is reused for every
/// check on the kernel thread, so checking allocates nothing.
/// </summary>
public sealed class RiskRequest
{
    /// <summary>The group.</summary>
    public IntentGroup Group { get; private set; } = null!;

    /// <summary>The configured event the group trades, or -1.</summary>
    public int EventIndex { get; private set; }

    /// <summary>Whether the group reduces risk (carried on the group).</summary>
    public bool ReducesRisk => Group.ReducesRisk;

    /// <summary>The engine clock's timestamp now.</summary>
    public long Now { get; private set; }

    /// <summary>The engine clock's Unix milliseconds now.</summary>
    public long NowMs { get; private set; }

    /// <summary>What the group's buys cost at their limits, rounded up (set once the legs are known to be valid).</summary>
    public Money BuyNotional { get; internal set; }

    internal void Reset(IntentGroup group, int eventIndex, long now, long nowMs)
    {
        Group = group;
        EventIndex = eventIndex;
        Now = now;
        NowMs = nowMs;
        BuyNotional = Money.Zero;
    }

    /// <summary>Buys of YES and NO in equal size: the group pays $1 per contract at settlement if every leg fills.</summary>
    public bool IsOppositePair
    {
        get
        {
            if (Group.Legs.Count != 2)
            {
                return false;
            }

            OrderIntent a = Group.Legs[0], b = Group.Legs[1];
            return a.Side == OrderSide.Buy && b.Side == OrderSide.Buy && a.Outcome != b.Outcome && a.Quantity == b.Quantity;
        }
    }
}
