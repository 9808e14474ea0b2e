using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;

namespace ArbBot.Engine.Execution.Journal;

/// <summary>A venue figure an operator accepted, waiting for the engine to apply it.</summary>
public sealed record PositionAccept(long Id, string Venue, string MarketId, Outcome Outcome, Quantity AtVenue);
