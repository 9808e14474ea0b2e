namespace ArbBot.Abstractions.Markets;

/// <summary>
/// The engine's small integer for one market on one venue, handed to the connector at subscribe
/// time so that book events never carry or hash a string on the hot path.
/// </summary>
/// <param name="Value">Index into the engine's book store.</param>
public readonly record struct MarketHandle(int Value);
