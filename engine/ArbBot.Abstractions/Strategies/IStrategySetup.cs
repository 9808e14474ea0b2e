namespace ArbBot.Abstractions.Strategies;

/// <summary>What a strategy gets once, when a version is loaded.</summary>
public interface IStrategySetup
{
    /// <summary>The strategy's configured name.</summary>
    string Name { get; }

    /// <summary>Its <c>parameters:</c> from arbbot.yaml, typed on read.</summary>
    StrategyParameters Parameters { get; }

    /// <summary>Every configured pair, in config order (<see cref="IPairView.Index"/> is the position here).</summary>
    IReadOnlyList<IPairView> Pairs { get; }

    /// <summary>Every configured outcome group, in config order (<see cref="IGroupView.Index"/> is the position here). Added in contract 2.4.</summary>
    IReadOnlyList<IGroupView> Groups => [];

    /// <summary>The engine's risk limits.</summary>
    RiskLimitsView Limits { get; }
}
