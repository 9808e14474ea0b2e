namespace ArbBot.Engine.Hosting;

/// <summary>Configured strategies could not start and <see cref="EngineHostOptions.RequireAllStrategies"/> is set: nothing ran.</summary>
public sealed class StrategyStartException : Exception
{
    /// <summary>Creates the exception with one line per strategy that could not start.</summary>
    public StrategyStartException(IReadOnlyList<string> problems)
        : base($"{problems.Count} configured strateg{(problems.Count == 1 ? "y" : "ies")} cannot start:\n  " + string.Join("\n  ", problems))
    {
        Problems = problems;
    }

    /// <summary>One line per strategy, file:line:column where there is one.</summary>
    public IReadOnlyList<string> Problems { get; }
}
