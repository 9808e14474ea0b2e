namespace ArbBot.Abstractions.Events;

/// <summary>The state of a connector's link to its venue.</summary>
public enum VenueStatus : byte
{
    /// <summary>Connecting for the first time.</summary>
    Connecting = 0,

    /// <summary>Connected and streaming.</summary>
    Connected = 1,

    /// <summary>Lost the link; books are stale until snapshots arrive after reconnecting.</summary>
    Reconnecting = 2,

    /// <summary>Stopped for good (shut down or gave up).</summary>
    Stopped = 3,
}
