namespace ArbBot.Abstractions.Strategies;

/// <summary>A strategy call ran past its time budget and was stopped at its next loop or method entry.</summary>
public sealed class StrategyTimeoutException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StrategyTimeoutException()
        : base("the strategy call ran past its time budget")
    {
    }
}
