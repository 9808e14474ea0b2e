namespace ArbBot.Abstractions.Strategies;

/// <summary>
/// What a strategy sees on each call. The engine reuses one context object: use it during the
/// call, do not keep it.
/// </summary>
public interface IStrategyContext
{
    /// <summary>The pair whose book changed.</summary>
    IPairView Pair { get; }

    /// <summary>
    /// The outcome group <see cref="Pair"/> is an outcome of (<c>groups:</c> in arbbot.yaml), or null
    /// when it belongs to none. Added in contract 2.4.
    /// </summary>
    IGroupView? Group => null;

    /// <summary>The book that changed (one of <see cref="Pair"/>'s legs).</summary>
    IBookView Changed { get; }

    /// <summary>Engine time, Unix milliseconds (virtual during replay).</summary>
    long NowMs { get; }

    /// <summary>The engine's risk limits.</summary>
    RiskLimitsView Limits { get; }

    /// <summary>Sends an intent group toward risk checks and execution; returns its id.</summary>
    long Emit(IntentGroup group);

    /// <summary>
    /// Raises an alert (kind <c>strategy</c>, the pair's event): to the log, the fill log, the Redis
    /// <c>alerts</c> stream and, from warning up, the webhook. Limited per strategy to its
    /// <c>alerts_per_minute</c> (default 10): alerts over it are counted, and the count rides along
    /// with the next one that goes out. The message is cut at 500 characters, control characters
    /// replaced by spaces.
    /// </summary>
    void Alert(StrategyAlertLevel level, string message);
}
