using ArbBot.Abstractions.Events;

namespace ArbBot.Engine.Kernel;

/// <summary>
/// Counts for one venue, written only by the kernel thread and read by anyone (64-bit reads do
/// not tear; a reader may see a count one event old, which is fine for reporting).
/// </summary>
public sealed class VenueCounters
{
    internal VenueCounters(string venueName)
    {
        VenueName = venueName;
    }

    /// <summary>Configured venue name.</summary>
    public string VenueName { get; }

    /// <summary>Deltas applied.</summary>
    public long Deltas { get; internal set; }

    /// <summary>Snapshots applied.</summary>
    public long Snapshots { get; internal set; }

    /// <summary>Deltas dropped because their book was stale (awaiting a snapshot).</summary>
    public long StaleDrops { get; internal set; }

    /// <summary>Sequence gaps found by the book store, plus negative levels (each started a new epoch).</summary>
    public long Gaps { get; internal set; }

    /// <summary>Invalidations sent by the connector.</summary>
    public long Invalidations { get; internal set; }

    /// <summary>Events refused as invalid.</summary>
    public long Rejected { get; internal set; }

    /// <summary>Order updates received.</summary>
    public long OrderUpdates { get; internal set; }

    /// <summary>Fills received.</summary>
    public long Fills { get; internal set; }

    /// <summary>Public trades received.</summary>
    public long Trades { get; internal set; }

    /// <summary>Books found drifted from the venue's ticker (each invalidated and resynced).</summary>
    public long Drifts { get; internal set; }

    /// <summary>Stopwatch timestamp of the last book update or trade applied (0 before the first).</summary>
    public long LastUpdateTimestamp { get; internal set; }

    /// <summary>Stopwatch timestamp of the last event of any kind from the venue (0 before the first).</summary>
    public long LastMessageTimestamp { get; internal set; }

    /// <summary>Whether the venue is silent now: connected, yet nothing arrived for <c>engine.silent_after</c>.</summary>
    public bool Silent { get; internal set; }

    /// <summary>Times the venue went silent.</summary>
    public long Silences { get; internal set; }

    /// <summary>Times the venue connected again after having been connected.</summary>
    public long Reconnects { get; internal set; }

    /// <summary>Whether the venue has been connected at least once.</summary>
    internal bool EverConnected;

    /// <summary>Latest link status.</summary>
    public VenueStatus Status { get; internal set; } = VenueStatus.Connecting;

    /// <summary>Detail of the latest status.</summary>
    public string StatusDetail { get; internal set; } = "";
}
