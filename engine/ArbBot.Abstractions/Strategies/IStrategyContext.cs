namespace ArbBot.Abstractions.Strategies;

/// <summary>
/// What a strategy sees on each call. The engine reuses one context object: use it during the
/// call, do not keep it.
/// </summary>
public interface IStrategyContext
{
    /// <summary>The pair whose book changed.</summary>
    IPairView Pair { get; }

    /// <summary>The book that changed (one of <see cref="Pair"/>'s legs).</summary>
    IBookView Changed { get; }

    /// <summary>Engine time, Unix milliseconds (virtual during replay).</summary>
    long NowMs { get; }

    /// <summary>The engine's risk limits.</summary>
    RiskLimitsView Limits { get; }

    /// <summary>Sends an intent group toward risk checks and execution; returns its id.</summary>
    long Emit(IntentGroup group);
}
