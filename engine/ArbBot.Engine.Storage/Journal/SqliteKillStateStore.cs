using ArbBot.Engine.Risk;

namespace ArbBot.Engine.Storage;

/// <summary>The kill switch's state as a row of the state database (<see cref="KillSwitchStore"/>), the one <c>arbbot kill</c> writes.</summary>
public sealed class SqliteKillStateStore(string databasePath) : IKillStateStore
{
    /// <inheritdoc/>
    public string Where => databasePath;

    /// <inheritdoc/>
    public KillState? Read() => KillSwitchStore.Read(databasePath);

    /// <inheritdoc/>
    public void Write(KillState state) => KillSwitchStore.Write(databasePath, state);

    /// <inheritdoc/>
    public bool Clear() => KillSwitchStore.Clear(databasePath);
}
