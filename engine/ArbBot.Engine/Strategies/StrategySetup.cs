using ArbBot.Abstractions.Strategies;

namespace ArbBot.Engine.Strategies;

/// <summary>What <see cref="IStrategy.Initialize"/> receives.</summary>
internal sealed record StrategySetup(string Name, StrategyParameters Parameters, IReadOnlyList<IPairView> Pairs, IReadOnlyList<IGroupView> Groups, RiskLimitsView Limits) : IStrategySetup;
