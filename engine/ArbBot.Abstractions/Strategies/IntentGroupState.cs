namespace ArbBot.Abstractions.Strategies;

/// <summary>What became of an intent group the strategy emitted.</summary>
public enum IntentGroupState
{
    /// <summary>It passed the risk checks and its orders were sent.</summary>
    Accepted,

    /// <summary>Nothing was sent: refused by risk, a duplicate of a group still working, or the engine is stopping. The reason says which.</summary>
    Refused,

    /// <summary>Every order of the group has ended (filled, cancelled, expired or rejected); nothing more of it can fill.</summary>
    Ended,
}
