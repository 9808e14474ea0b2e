namespace ArbBot.Abstractions.Strategies;

/// <summary>
/// An event whose outcomes are separate markets (an election's candidates, a decision's ranges),
/// as configured under <c>groups:</c>: each outcome is a pair, the same market on one or more
/// venues, so a group can span venues.
/// </summary>
public interface IGroupView
{
    /// <summary>Position in <see cref="IStrategySetup.Groups"/>, for per-group state in arrays.</summary>
    int Index { get; }

    /// <summary>The group's event id.</summary>
    string EventId { get; }

    /// <summary>
    /// Whether a person checked that exactly one outcome resolves YES (no outcome missing, no
    /// "other", the same rules on every venue). Only then does a set of YES on every outcome pay
    /// exactly $1 and a set of NO exactly <see cref="OutcomeCount"/> - 1: do not trade a basket
    /// over a group that is not.
    /// </summary>
    bool Exhaustive { get; }

    /// <summary>Number of outcomes.</summary>
    int OutcomeCount { get; }

    /// <summary>The i-th outcome's pair (its books on each venue), in config order.</summary>
    IPairView Outcome(int index);
}
