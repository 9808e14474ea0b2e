namespace ArbBot.Engine.Mirror;

/// <summary>What the Redis mirror is doing, for the run summary and the heartbeat.</summary>
/// <param name="State">"off: why", "connecting", "connected" or "disconnected".</param>
/// <param name="BooksWritten">Book writes acknowledged by Redis since start.</param>
/// <param name="WritesPerSecond">Book writes per second recently.</param>
/// <param name="LagP50Ms">Median time from a book change on the kernel to Redis acknowledging its write.</param>
/// <param name="LagP99Ms">99th percentile of the same.</param>
/// <param name="Resyncs">Times the whole state was written again after (re)connecting.</param>
public sealed record MirrorStatus(string State, long BooksWritten, double WritesPerSecond, double LagP50Ms, double LagP99Ms, long Resyncs);
