namespace ArbBot.Abstractions.Strategies;

/// <summary>How loud an alert a strategy raises is (<see cref="IStrategyContext.Alert"/>).</summary>
public enum StrategyAlertLevel
{
    /// <summary>For the record: the log, the fill log and the Redis alerts stream.</summary>
    Info,

    /// <summary>Someone should look: also the webhook (unless <c>alerts.min_level</c> is error).</summary>
    Warning,

    /// <summary>Someone must look now: everywhere, the webhook included.</summary>
    Error,
}
