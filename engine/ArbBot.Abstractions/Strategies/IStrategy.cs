namespace ArbBot.Abstractions.Strategies;

/// <summary>
/// A trading strategy, written as a class in a .csx file. The engine creates one instance per
/// compiled version, calls <see cref="Initialize"/> once, then <see cref="OnBookUpdate"/> on the
/// kernel thread after every book update of a configured pair. Calls must not block or do I/O
/// (the compiler refuses I/O, threading and reflection APIs) and should not allocate when they
/// emit nothing. Fields keep state between calls.
/// </summary>
public interface IStrategy
{
    /// <summary>Reads parameters and sets up state. Throw <see cref="StrategyParameterException"/> for a bad parameter.</summary>
    void Initialize(IStrategySetup setup);

    /// <summary>A book of <see cref="IStrategyContext.Pair"/> changed; look and, if worthwhile, emit intents.</summary>
    void OnBookUpdate(IStrategyContext context);
}
