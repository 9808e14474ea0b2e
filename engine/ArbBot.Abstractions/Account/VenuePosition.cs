using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;

namespace ArbBot.Abstractions.Account;

/// <summary>
/// Contracts of one outcome the account holds in one market, as the venue reports it. A venue with
/// one signed position per market (Kalshi) reports the side it is on: long YES, or long NO.
/// </summary>
/// <param name="MarketId">The venue's market id.</param>
/// <param name="Outcome">The outcome held.</param>
/// <param name="Contracts">How many (positive).</param>
public sealed record VenuePosition(string MarketId, Outcome Outcome, Quantity Contracts);
