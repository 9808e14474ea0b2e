namespace ArbBot.Engine.Execution;

/// <summary>
/// What became of an intent group the strategies emitted: sent and how it ended (filled, unfilled,
/// partially_filled, legged) or rejected by risk and why. Published for the dashboard (Redis
/// <c>outcomes</c> stream), keyed by the group id the <c>opps</c> stream uses.
/// </summary>
/// <param name="GroupId">The intent group's id.</param>
/// <param name="Strategy">The strategy that emitted it.</param>
/// <param name="EventId">Its event.</param>
/// <param name="Outcome">filled, unfilled, partially_filled, legged, or rejected.</param>
/// <param name="Detail">The risk reason and detail, or the realised edge.</param>
/// <param name="TimestampMs">When it ended (Unix ms).</param>
public sealed record AttemptOutcome(long GroupId, string Strategy, string EventId, string Outcome, string Detail, long TimestampMs);
