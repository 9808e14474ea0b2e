using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;

namespace ArbBot.Engine.Execution;

/// <summary>Where a legged episode stands.</summary>
public enum LeggedState : byte
{
    /// <summary>Imbalance seen; waiting the grace period for the strategy's own hedge.</summary>
    Waiting,

    /// <summary>The policy is buying the missing outcome.</summary>
    Hedging,

    /// <summary>The policy is selling the excess.</summary>
    Unwinding,

    /// <summary>Balanced again.</summary>
    Resolved,
}

/// <summary>
/// A time when one event held more of one outcome than of the other with nothing working to fix
/// it: from the first moment to the moment it was balanced again, with every step taken and what it cost.
/// </summary>
public sealed class LeggedEpisode
{
    internal LeggedEpisode(long id, int eventIndex, string eventId, long startedMs, long startedTimestamp, Outcome outcome, Quantity quantity, Money cost, Money baseline)
    {
        Id = id;
        EventIndex = eventIndex;
        EventId = eventId;
        StartedMs = startedMs;
        StartedTimestamp = startedTimestamp;
        Outcome = outcome;
        InitialQuantity = quantity;
        InitialCost = cost;
        Baseline = baseline;
    }

    /// <summary>Id (unique in the fill log).</summary>
    public long Id { get; }

    /// <summary>Event index.</summary>
    public int EventIndex { get; }

    /// <summary>Event id.</summary>
    public string EventId { get; }

    /// <summary>Unix ms when it began.</summary>
    public long StartedMs { get; }

    /// <summary>Stopwatch ticks when it began.</summary>
    public long StartedTimestamp { get; }

    /// <summary>The outcome held in excess when it began.</summary>
    public Outcome Outcome { get; }

    /// <summary>Unhedged contracts when it began.</summary>
    public Quantity InitialQuantity { get; }

    /// <summary>What those contracts cost.</summary>
    public Money InitialCost { get; }

    /// <summary>The event's locked-in plus realised P&amp;L at the start: the loss is what the episode took off it.</summary>
    internal Money Baseline { get; }

    /// <summary>Where it stands.</summary>
    public LeggedState State { get; internal set; }

    /// <summary>Policy orders sent (hedges and unwinds).</summary>
    public int Steps { get; internal set; }

    /// <summary>Hedge orders sent.</summary>
    public int HedgeTries { get; internal set; }

    /// <summary>Unwind orders sent.</summary>
    public int UnwindTries { get; internal set; }

    /// <summary>Stopwatch ticks of the last policy order.</summary>
    internal long LastStepTimestamp { get; set; }

    /// <summary>How it ended: hedged by strategy, hedged, unwound, hedged and unwound, settled.</summary>
    public string? Resolution { get; internal set; }

    /// <summary>Unix ms when it ended.</summary>
    public long? EndedMs { get; internal set; }

    /// <summary>What it cost against paying $1 for the matched pair at the original price (negative: a profit).</summary>
    public Money? Loss { get; internal set; }

    /// <summary>Whether an error alert was raised for failing to unwind.</summary>
    internal bool Stuck { get; set; }
}
