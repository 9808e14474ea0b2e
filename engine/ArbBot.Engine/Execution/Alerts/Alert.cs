namespace ArbBot.Engine.Execution.Alerts;

/// <summary>Something a person should know about now: a legged pair, a tripped limit, a kill switch.</summary>
/// <param name="TimestampMs">Unix ms.</param>
/// <param name="Level">info, warning or error.</param>
/// <param name="Kind">Short machine-readable kind: legged, hedge, unwind, resolved, kill, breaker, loss_limit, ...</param>
/// <param name="EventId">The event concerned, if any.</param>
/// <param name="Message">One line for people.</param>
public sealed record Alert(long TimestampMs, string Level, string Kind, string? EventId, string Message);
