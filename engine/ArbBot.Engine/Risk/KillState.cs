namespace ArbBot.Engine.Risk;

/// <summary>An engaged kill switch.</summary>
/// <param name="Flatten">Also cancel resting orders and unwind unhedged exposure (not just halt new orders).</param>
/// <param name="Reason">Why, in words.</param>
/// <param name="Source">Who: cli, redis, engine (a limit tripped).</param>
/// <param name="SetMs">Unix ms when engaged.</param>
public sealed record KillState(bool Flatten, string Reason, string Source, long SetMs)
{
    /// <summary>"halt" or "flatten".</summary>
    public string Mode => Flatten ? "flatten" : "halt";
}
