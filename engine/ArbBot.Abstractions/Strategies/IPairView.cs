namespace ArbBot.Abstractions.Strategies;

/// <summary>The same contract on one or more venues, as configured under <c>pairs:</c>.</summary>
public interface IPairView
{
    /// <summary>Position in <see cref="IStrategySetup.Pairs"/>, for per-pair state in arrays.</summary>
    int Index { get; }

    /// <summary>The configured event id.</summary>
    string EventId { get; }

    /// <summary>Number of venues listing it.</summary>
    int LegCount { get; }

    /// <summary>The book of the i-th venue, in config order.</summary>
    IBookView Leg(int index);
}
