using ArbBot.Abstractions.FixedPoint;

namespace ArbBot.Abstractions.Strategies;

/// <summary>The engine's risk limits, as strategies see them (the engine enforces them again on every intent).</summary>
/// <param name="MaxOrderUsd">Largest notional of one order.</param>
/// <param name="MaxEventExposureUsd">Largest exposure on one event.</param>
/// <param name="MaxTotalExposureUsd">Largest exposure in total.</param>
/// <param name="MaxUnhedgedUsd">Largest unhedged exposure.</param>
/// <param name="MaxBookAgeMs">Books older than this are not traded on.</param>
public sealed record RiskLimitsView(Money MaxOrderUsd, Money MaxEventExposureUsd, Money MaxTotalExposureUsd, Money MaxUnhedgedUsd, long MaxBookAgeMs);
