namespace ArbBot.Engine.Hosting;

/// <summary>What <see cref="EngineHost.ChangePairsAsync"/> did: the pairs added and removed in place, or why the engine must restart for the change.</summary>
public sealed record PairsChange(bool InPlace, string? RestartBecause, IReadOnlyList<string> Added, IReadOnlyList<string> Removed, int Subscribed, int Unsubscribed)
{
    /// <summary>Applied in place.</summary>
    public static PairsChange Applied(IReadOnlyList<string> added, IReadOnlyList<string> removed, int subscribed, int unsubscribed) =>
        new(true, null, added, removed, subscribed, unsubscribed);

    /// <summary>Not applied: the engine restarts on the new set.</summary>
    public static PairsChange Restart(string why) => new(false, why, [], [], 0, 0);
}
