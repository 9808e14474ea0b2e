using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;

namespace ArbBot.Engine.Orders;

/// <summary>
/// One event's positions over all its venues. A YES and a NO of the same event pay exactly $1
/// together at settlement, so the matched quantity is hedged and its profit locked in; the
/// excess of one outcome over the other is the unhedged exposure.
/// </summary>
/// <param name="Yes">YES contracts held (all venues).</param>
/// <param name="No">NO contracts held (all venues).</param>
/// <param name="YesCost">What the YES contracts cost, fees included.</param>
/// <param name="NoCost">What the NO contracts cost, fees included.</param>
/// <param name="OpenBuys">Limit price times size of the buys still working.</param>
public readonly record struct EventExposure(Quantity Yes, Quantity No, Money YesCost, Money NoCost, Money OpenBuys)
{
    /// <summary>Contracts held on both outcomes: a YES/NO pair each.</summary>
    public Quantity Matched => Quantity.Min(Yes, No);

    /// <summary>Contracts of one outcome without their opposite.</summary>
    public Quantity Unhedged => Yes >= No ? Yes - No : No - Yes;

    /// <summary>Which outcome is in excess (meaningful when <see cref="Unhedged"/> is not zero).</summary>
    public Outcome ExcessOutcome => Yes >= No ? Outcome.Yes : Outcome.No;

    /// <summary>Cost of the unhedged contracts (their share of the average cost).</summary>
    public Money UnhedgedCost => Yes >= No ? Share(YesCost, Yes, Yes - No) : Share(NoCost, No, No - Yes);

    /// <summary>Average cost of one unhedged contract (rounded up), zero if none.</summary>
    public Price UnhedgedAverageCost
    {
        get
        {
            Quantity q = Unhedged;
            return q.IsZero ? Price.Zero : Price.FromMicros((long)((((Int128)UnhedgedCost.Micros * 1_000_000) + q.Micros - 1) / q.Micros));
        }
    }

    /// <summary>Profit the matched pairs pay at settlement: $1 each minus what they cost.</summary>
    public Money LockedIn
    {
        get
        {
            Quantity m = Matched;
            return m.IsZero ? Money.Zero : Money.FromMicros(m.Micros) - Share(YesCost, Yes, m) - Share(NoCost, No, m);
        }
    }

    /// <summary>Cost of everything held plus what working buys could add.</summary>
    public Money GrossExposure => YesCost + NoCost + OpenBuys;

    /// <summary>A part's share of a cost, rounded up: the profit reported on it is never more than exact.</summary>
    private static Money Share(Money cost, Quantity held, Quantity part) => CostShare.Of(cost, part, held).Up;
}
