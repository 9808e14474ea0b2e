namespace ArbBot.Engine.Risk;

/// <summary>
/// Where the kill switch's state is kept so that it survives a restart until cleared. The shipped
/// store is a row of the state database (ArbBot.Engine.Storage), which <c>arbbot kill</c> writes too.
/// </summary>
public interface IKillStateStore
{
    /// <summary>What the store says it is (its path), for messages.</summary>
    string Where { get; }

    /// <summary>The engaged state, or null when clear.</summary>
    KillState? Read();

    /// <summary>Engages (or changes) the switch.</summary>
    void Write(KillState state);

    /// <summary>Clears the switch; returns whether it was engaged.</summary>
    bool Clear();
}
