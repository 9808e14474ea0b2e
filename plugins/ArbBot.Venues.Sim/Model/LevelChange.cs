using ArbBot.Abstractions.Markets;

namespace ArbBot.Venues.Sim.Model;

/// <summary>A change to one published level of a simulated book, in the venue's own coordinates.</summary>
internal readonly record struct LevelChange(Outcome Outcome, BookSide Side, long PriceMicros, long OldQuantityMicros, long NewQuantityMicros);
