namespace ArbBot.Abstractions.Plugins;

/// <summary>
/// The version of this contract, major.minor. The major goes up on a breaking change (a member
/// removed or changed): the plugin host refuses plugins built for another major. The minor goes
/// up when members are only added (new types, new optional interfaces, interface members with a
/// default): a plugin built for the same major and an older minor loads and gets the defaults; one
/// built for a newer minor than the engine's is refused, since it may use what the engine lacks.
/// </summary>
public static class ContractInfo
{
    /// <summary>
    /// The major version. 2: good-till-date orders (<see cref="Orders.TimeInForce.GoodTillDate"/>,
    /// an expiry on order intents and requests) and receipt times on recorded frames.
    /// </summary>
    public const int Version = 2;

    /// <summary>
    /// The minor version within <see cref="Version"/>. 1: the edge sizer (<c>Sizing</c>), fee
    /// rounding declared by fee models (<see cref="Fees.IFeeModel.Rounding"/>, default none) and
    /// worst-case fee bounds, strategies told the fate of their intent groups (<see cref="Strategies.IStrategyIntents"/>).
    /// 2: the venue account read back for reconciliation (<see cref="Account.IVenueAccount"/>: open
    /// orders, fills since a time, positions, balance, adopting an earlier run's orders) and executors
    /// telling the engine they reconnected (<see cref="Orders.IExecutionEventSink.OnReconnected"/>),
    /// and connectors telling it a market resolved (<see cref="Events.IVenueEventSink.OnMarketResolved"/>).
    /// 3: strategies raise alerts (<see cref="Strategies.IStrategyContext.Alert"/>; the engine implements the context).
    /// 4: outcome groups (<see cref="Strategies.IGroupView"/>, <see cref="Strategies.IStrategyContext.Group"/>,
    /// <see cref="Strategies.IStrategySetup.Groups"/>) and sets with another payout than $1 (the edge sizer's NO baskets).
    /// 5: what a venue says about an event's outcomes, on <see cref="Discovery.ListedMarket"/> (mutually exclusive, outcome label, catch-all, outcomes may be added);
    /// the parameterised <see cref="Fees.QuadraticFeeModel"/> (the venues' models are it with their parameters) and <see cref="FixedPoint.Quantity.OneContract"/>.
    /// 6: one session per configured venue (<see cref="IVenuePlugin.Open"/>, <see cref="IVenueSession"/>: the plugin keeps
    /// no registry of venues; plugins built before still load, their factories called through a default session) and
    /// <see cref="IVenueConnector.UnsubscribeAsync"/> (a pairs-file change adds and removes markets without restarting the venue).
    /// </summary>
    public const int Minor = 6;

    /// <summary>"major.minor".</summary>
    public static string Text => $"{Version}.{Minor}";
}
