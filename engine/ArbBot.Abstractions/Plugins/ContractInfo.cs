namespace ArbBot.Abstractions.Plugins;

/// <summary>The version of this contract. Bumped on any breaking change; the plugin host refuses plugins built for another.</summary>
public static class ContractInfo
{
    /// <summary>
    /// Current contract version. 2: good-till-date orders (<see cref="Orders.TimeInForce.GoodTillDate"/>,
    /// an expiry on order intents and requests) and receipt times on recorded frames.
    /// </summary>
    public const int Version = 2;
}
