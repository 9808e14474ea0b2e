using ArbBot.Abstractions.FixedPoint;
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

    /// <summary>The outcome group the legs' event belongs to, or -1 (set by the scope check).</summary>
    public int OutcomeGroup { get; internal set; } = -1;

    /// <summary>
    /// What one set of the legs (one contract of each) pays whichever way the event ends, when that
    /// is the same for every ending: $1 for a YES+NO pair or a YES basket, N - 1 for a NO basket over
    /// N outcomes. Null when the group is not such a complete set (a single leg, a maker quote).
    /// Set by the scope check.
    /// </summary>
    public Money? SetPayout { get; internal set; }

    /// <summary>Whether the group, once every leg fills, pays the same whatever happens: it adds nothing unhedged.</summary>
    public bool IsCompleteSet => SetPayout is not null;

    /// <summary>What <paramref name="sets"/> sets pay at settlement (zero if not a complete set).</summary>
    public Money PayoutOf(Quantity sets) =>
        SetPayout is { } each ? Money.FromMicros((long)((Int128)each.Micros * sets.Micros / FixedDecimal.Scale)) : Money.Zero;

    internal void Reset(IntentGroup group, int eventIndex, long now, long nowMs)
    {
        Group = group;
        EventIndex = eventIndex;
        Now = now;
        NowMs = nowMs;
        BuyNotional = Money.Zero;
        OutcomeGroup = -1;
        SetPayout = null;
    }
}
