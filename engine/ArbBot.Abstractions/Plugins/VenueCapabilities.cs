namespace ArbBot.Abstractions.Plugins;

/// <summary>What a venue plugin can do.</summary>
[Flags]
public enum VenueCapabilities
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>Streams order books.</summary>
    BookStream = 1,

    /// <summary>Places and cancels orders.</summary>
    Trading = 2,

    /// <summary>Accepts post-only (maker) orders.</summary>
    MakerOrders = 4,

    /// <summary>Reports the fees it charges per market.</summary>
    Fees = 8,

    /// <summary>The venue is a simulator: its executor fills paper orders itself (the engine's paper executor is not needed).</summary>
    Simulated = 16,

    /// <summary>Lists its markets (<see cref="IVenueSession.CreateCatalog"/>).</summary>
    Discovery = 32,

    /// <summary>
    /// Hands every received message to <see cref="VenueContext.Recorder"/> when the engine records,
    /// and replays them with <see cref="IVenueSession.CreateFrameDecoder"/>.
    /// </summary>
    RecordsFrames = 64,
}
