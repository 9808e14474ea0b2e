using ArbBot.Abstractions.FixedPoint;

namespace ArbBot.Abstractions.Strategies;

/// <summary>The fate of one intent group, told to the strategy that emitted it (see <see cref="IStrategyIntents"/>).</summary>
/// <param name="GroupId">The group (the value <see cref="IStrategyContext.Emit"/> returned).</param>
/// <param name="State">Accepted, refused or ended.</param>
/// <param name="Reason">Refused: the risk check's reason and detail ("new_epoch: ..."); ended: how ("filled", "unfilled", "partially_filled", "legged"); accepted: empty.</param>
/// <param name="Filled">Ended: contracts filled on every leg (the smallest leg's fill); otherwise zero.</param>
public readonly record struct IntentGroupUpdate(long GroupId, IntentGroupState State, string Reason, Quantity Filled);
