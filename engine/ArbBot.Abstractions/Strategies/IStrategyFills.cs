namespace ArbBot.Abstractions.Strategies;

/// <summary>Optional: a strategy that wants to hear when its own orders fill (maker-then-hedge does).</summary>
public interface IStrategyFills
{
    /// <summary>An order from one of this strategy's intent groups (partly) filled.</summary>
    void OnFill(in StrategyFill fill, IStrategyContext context);
}
