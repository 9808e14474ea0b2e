using ArbBot.Abstractions.FixedPoint;

namespace ArbBot.Engine.Orders;

/// <summary>
/// One outcome group's positions (an event whose outcomes are separate pairs), counted by what they
/// pay for each way the event can end: if outcome w wins, every YES of w pays $1 and every NO of
/// another outcome pays $1. Positions are hedged when every possible ending pays the same; the
/// spread between the best and worst ending is the unhedged part. A group not marked exhaustive can
/// also end with none of its outcomes winning (then only the NOs pay), and an outcome whose market
/// already resolved NO can no longer win. A plain pair is the one-outcome case of the same arithmetic.
/// <para>
/// Refreshed in place by <see cref="Inventory.GroupExposureOf"/> (kernel thread only, nothing
/// allocated): read it before the next refresh. Quantities are contracts, so a payoff of q pays $q.
/// </para>
/// </summary>
public sealed class GroupExposure
{
    private readonly Quantity[] _yes;
    private readonly Quantity[] _no;
    private readonly Money[] _yesCost;
    private readonly Money[] _noCost;
    private readonly bool[] _canWin;
    private readonly Quantity[] _payoff;
    private readonly Quantity[] _sellYes;
    private readonly Quantity[] _sellNo;
    private int _decidedWinner = -1;

    internal GroupExposure(int outcomes, bool exhaustive)
    {
        Outcomes = outcomes;
        Exhaustive = exhaustive;
        _yes = new Quantity[outcomes];
        _no = new Quantity[outcomes];
        _yesCost = new Money[outcomes];
        _noCost = new Money[outcomes];
        _canWin = new bool[outcomes];
        _payoff = new Quantity[outcomes];
        _sellYes = new Quantity[outcomes];
        _sellNo = new Quantity[outcomes];
    }

    /// <summary>Outcomes in the group.</summary>
    public int Outcomes { get; }

    /// <summary>Whether exactly one outcome is known to win (otherwise none of them may).</summary>
    public bool Exhaustive { get; }

    /// <summary>Whether the event can still end with none of the outcomes winning.</summary>
    public bool NoneCanWin { get; private set; }

    /// <summary>What the positions pay in the worst possible ending.</summary>
    public Quantity MinPayoff { get; private set; }

    /// <summary>What the positions pay in the best possible ending.</summary>
    public Quantity MaxPayoff { get; private set; }

    /// <summary>Payoff spread between the best and the worst ending.</summary>
    public Quantity Unhedged => MaxPayoff - MinPayoff;

    /// <summary>Whether every possible ending pays the same.</summary>
    public bool IsBalanced => MinPayoff == MaxPayoff;

    /// <summary>What selling the excess (<see cref="SellYes"/>, <see cref="SellNo"/>) still leaves paid in every ending.</summary>
    public Quantity KeptPayoff { get; private set; }

    /// <summary>Cost (fees in) of the positions the unwind plan sells: the unhedged exposure.</summary>
    public Money UnhedgedCost { get; private set; }

    /// <summary>Profit the kept positions pay whatever happens: <see cref="KeptPayoff"/> less their cost (shares rounded up).</summary>
    public Money LockedIn { get; private set; }

    /// <summary>Cost of everything held plus what working buys could add.</summary>
    public Money GrossExposure { get; private set; }

    /// <summary>YES contracts held on an outcome (all its venues).</summary>
    public Quantity Yes(int outcome) => _yes[outcome];

    /// <summary>NO contracts held on an outcome (all its venues).</summary>
    public Quantity No(int outcome) => _no[outcome];

    /// <summary>Whether an outcome can still win (none of its markets resolved NO, and no other outcome's resolved YES).</summary>
    public bool CanWin(int outcome) => _canWin[outcome];

    /// <summary>What the positions pay if <paramref name="outcome"/> wins.</summary>
    public Quantity PayoffIf(int outcome) => _payoff[outcome];

    /// <summary>What the positions pay if none of the outcomes wins (only the NOs pay).</summary>
    public Quantity PayoffIfNone { get; private set; }

    /// <summary>The unwind plan: YES contracts of an outcome to sell so every ending pays the same.</summary>
    public Quantity SellYes(int outcome) => _sellYes[outcome];

    /// <summary>The unwind plan: NO contracts of an outcome to sell so every ending pays the same.</summary>
    public Quantity SellNo(int outcome) => _sellNo[outcome];

    /// <summary>
    /// The payoffs a hedge may bring every ending to, before the NOs it buys: the best and the worst
    /// ending of an exhaustive group (all YES bought, or all NO); for a group where none of the
    /// outcomes may win, only what that ending pays (no YES pays there, so it can only be lifted by NO).
    /// </summary>
    public int HedgeReferences(Span<Quantity> references)
    {
        if (NoneCanWin)
        {
            references[0] = PayoffIfNone;
            return 1;
        }

        references[0] = MaxPayoff;
        references[1] = MinPayoff;
        return MaxPayoff == MinPayoff ? 1 : 2;
    }

    /// <summary>
    /// A hedge that makes every ending pay the same: each outcome paying less than
    /// <paramref name="reference"/> gets YES up to it (a YES pays only if its outcome wins), each
    /// paying more gets NO by the excess (a NO of w pays in every ending but w's, so it lifts all
    /// the others). Fills what to buy per outcome and returns what every ending then pays.
    /// </summary>
    public Quantity PlanHedge(Quantity reference, Span<Quantity> buyYes, Span<Quantity> buyNo)
    {
        Quantity lifted = reference;
        for (int w = 0; w < Outcomes; w++)
        {
            bool counts = _canWin[w];
            buyYes[w] = counts && _payoff[w] < reference ? reference - _payoff[w] : Quantity.Zero;
            buyNo[w] = counts && _payoff[w] > reference ? _payoff[w] - reference : Quantity.Zero;
            lifted += buyNo[w];
        }

        return lifted;
    }

    /// <summary>Starts a refresh: <see cref="Set"/> each outcome, then <see cref="Compute"/>.</summary>
    internal void Begin() => _decidedWinner = -1;

    /// <summary>Loads the positions of one outcome and whether a market of it already resolved.</summary>
    internal void Set(int outcome, Quantity yes, Quantity no, Money yesCost, Money noCost, bool resolvedNo, bool resolvedYes)
    {
        _yes[outcome] = yes;
        _no[outcome] = no;
        _yesCost[outcome] = yesCost;
        _noCost[outcome] = noCost;
        _canWin[outcome] = resolvedYes || !resolvedNo;
        if (resolvedYes)
        {
            _decidedWinner = outcome;
        }
    }

    /// <summary>Works out payoffs, the unwind plan and the figures from what <see cref="Set"/> loaded.</summary>
    internal void Compute(Money openBuys)
    {
        int winner = _decidedWinner;
        Quantity allNo = Quantity.Zero;
        Money cost = Money.Zero;
        for (int w = 0; w < Outcomes; w++)
        {
            allNo += _no[w];
            cost += _yesCost[w] + _noCost[w];
        }

        GrossExposure = cost + openBuys;
        NoneCanWin = !Exhaustive && winner < 0;
        bool any = NoneCanWin;
        Quantity min = allNo, max = allNo;
        for (int w = 0; w < Outcomes; w++)
        {
            _canWin[w] &= winner < 0 || w == winner;
            _payoff[w] = _yes[w] + allNo - _no[w];
            _sellYes[w] = Quantity.Zero;
            _sellNo[w] = Quantity.Zero;
            if (_canWin[w])
            {
                min = any ? Quantity.Min(min, _payoff[w]) : _payoff[w];
                max = any ? Quantity.Max(max, _payoff[w]) : _payoff[w];
                any = true;
            }
        }

        PayoffIfNone = allNo;
        MinPayoff = any ? min : Quantity.Zero;
        MaxPayoff = any ? max : Quantity.Zero;
        KeptPayoff = MinPayoff;
        if (!IsBalanced)
        {
            PlanUnwind();
        }

        Money unhedged = Money.Zero, keptCost = Money.Zero;
        for (int w = 0; w < Outcomes; w++)
        {
            unhedged += CostShare.Of(_yesCost[w], _sellYes[w], _yes[w]).Up + CostShare.Of(_noCost[w], _sellNo[w], _no[w]).Up;
            keptCost += CostShare.Of(_yesCost[w], _yes[w] - _sellYes[w], _yes[w]).Up + CostShare.Of(_noCost[w], _no[w] - _sellNo[w], _no[w]).Up;
        }

        UnhedgedCost = unhedged;
        LockedIn = Money.FromMicros(KeptPayoff.Micros) - keptCost;
    }

    /// <summary>
    /// The least selling that makes every ending pay the same. First each outcome's YES above the
    /// worst ending goes (a YES pays only when its outcome wins). If NOs made the difference, NO of
    /// every outcome that pays less than the best goes by the difference (selling NO of w lowers every
    /// ending but w's). If that is not possible with what is held, everything that can still pay
    /// unequally is sold.
    /// </summary>
    private void PlanUnwind()
    {
        Quantity min = MinPayoff;
        Quantity max = NoneCanWin ? PayoffIfNone : Quantity.Zero;
        for (int w = 0; w < Outcomes; w++)
        {
            if (_canWin[w])
            {
                _sellYes[w] = Quantity.Min(_yes[w], _payoff[w] - min);
                max = Quantity.Max(max, _payoff[w] - _sellYes[w]);
            }
        }

        if (max == min)
        {
            KeptPayoff = min;
            return;
        }

        // Every ending now pays at least min; the ones above it come from NOs held. Sell NO of each outcome below the best by its gap.
        bool possible = !NoneCanWin || PayoffIfNone == max;
        Quantity sold = Quantity.Zero;
        for (int w = 0; w < Outcomes && possible; w++)
        {
            if (_canWin[w])
            {
                Quantity gap = max - (_payoff[w] - _sellYes[w]);
                possible = gap <= _no[w];
                _sellNo[w] = gap;
                sold += gap;
            }
        }

        if (possible)
        {
            KeptPayoff = max - sold;
            return;
        }

        // Flat: sell what can still win; what cannot (YES of a loser, worth nothing; NO of a loser, certain) stays.
        Quantity certain = Quantity.Zero;
        for (int w = 0; w < Outcomes; w++)
        {
            _sellYes[w] = _canWin[w] ? _yes[w] : Quantity.Zero;
            _sellNo[w] = _canWin[w] ? _no[w] : Quantity.Zero;
            certain += _canWin[w] ? Quantity.Zero : _no[w];
        }

        KeptPayoff = certain;
    }
}
