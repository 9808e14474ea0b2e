using ArbBot.Abstractions.Markets;

namespace ArbBot.Engine.Kernel;

/// <summary>How a market resolved: the outcome that pays $1 a contract, and when (venue time, Unix ms).</summary>
public sealed record MarketResolution(Outcome Winner, long VenueTimestampMs);
