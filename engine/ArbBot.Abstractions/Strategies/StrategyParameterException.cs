namespace ArbBot.Abstractions.Strategies;

/// <summary>A strategy parameter is missing or has a bad value; the engine reports it with the config line.</summary>
public sealed class StrategyParameterException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StrategyParameterException(string key, string message)
        : base(message)
    {
        Key = key;
    }

    /// <summary>The parameter at fault.</summary>
    public string Key { get; }
}
