using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Abstractions.Strategies;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Orders;

namespace ArbBot.Engine.Risk.Checks;

/// <summary>
/// Every leg of a group is on one event (one pair), or on the outcomes of one configured outcome
/// group: exposure, the legged policy and the unhedged limit count per event and per outcome group,
/// so legs over unrelated events are refused whole (<c>several_events</c>). A group over several
/// outcomes must be a complete basket, paying the same whichever outcome wins once every leg fills
/// (<c>incomplete_basket</c>): YES or NO on every outcome of an exhaustive group, in one size (in a
/// group not marked exhaustive "none wins" is one more ending, where a NO basket pays a dollar more
/// and a YES basket nothing: neither is complete). Also tells the later checks what a complete set
/// pays (<see cref="RiskRequest.SetPayout"/>).
/// </summary>
public sealed class EventScopeCheck(Inventory inventory, IReadOnlyList<GroupConfig> groups) : IRiskCheck
{
    /// <inheritdoc/>
    public bool AppliesToRiskReducing => true;

    /// <inheritdoc/>
    public string? Check(RiskRequest request, out string detail)
    {
        IReadOnlyList<OrderIntent> legs = request.Group.Legs;
        int first = request.EventIndex;
        int group = inventory.GroupOf(first);
        bool oneEvent = true;
        for (int i = 0; i < legs.Count; i++)
        {
            int other = inventory.EventOf(legs[i].Market);
            if (other < 0 || (other != first && (group < 0 || inventory.GroupOf(other) != group)))
            {
                detail = group < 0
                    ? $"leg {i} is on another event than leg 0: exposure is counted per event (or per configured outcome group), so legs over unrelated events are not sent"
                    : $"leg {i} is not on an outcome of group \"{groups[group].EventId}\" like leg 0: exposure is counted per outcome group, so legs over unrelated events are not sent";
                return RejectReason.SeveralEvents;
            }

            oneEvent &= other == first;
        }

        request.OutcomeGroup = group;
        string why = "";
        request.SetPayout = oneEvent ? PairSetPayout(legs) : BasketSetPayout(legs, group, out why);
        if (!oneEvent && request.SetPayout is null)
        {
            detail = $"group \"{groups[group].EventId}\": {why}; a basket must pay the same whichever outcome wins (YES on every outcome of an exhaustive group, or NO on every outcome)";
            return RejectReason.IncompleteBasket;
        }

        detail = "";
        return null;
    }

    /// <summary>Buys of YES and NO on one event in equal totals, every leg the same size: each set pays $1 per YES+NO.</summary>
    private static Money? PairSetPayout(IReadOnlyList<OrderIntent> legs)
    {
        if (!AllBuysOfOneSize(legs, out Quantity q))
        {
            return null;
        }

        long yes = 0, no = 0;
        foreach (OrderIntent leg in legs)
        {
            yes += leg.Outcome == Outcome.Yes ? 1 : 0;
            no += leg.Outcome == Outcome.No ? 1 : 0;
        }

        return yes == no && yes > 0 && q.IsPositive ? Money.FromMicros(yes * FixedDecimal.Scale) : null;
    }

    /// <summary>
    /// What one set of the legs pays whatever the outcome (YES of w pays if w wins; NO of w pays if
    /// any other outcome wins, or none of them in a group not marked exhaustive); null with the
    /// unequal payoffs in <paramref name="why"/> when it is not the same for every ending.
    /// </summary>
    private Money? BasketSetPayout(IReadOnlyList<OrderIntent> legs, int group, out string why)
    {
        why = "";
        if (!AllBuysOfOneSize(legs, out _))
        {
            why = "every leg of a basket buys, in one size";
            return null;
        }

        IReadOnlyList<int> members = inventory.MembersOf(group);
        Span<long> pays = stackalloc long[GroupConfig.MaxOutcomes];
        pays[..members.Count].Clear();
        long paysIfNone = 0;
        foreach (OrderIntent leg in legs)
        {
            int outcome = IndexOf(members, inventory.EventOf(leg.Market));
            for (int w = 0; w < members.Count; w++)
            {
                pays[w] += (w == outcome) == (leg.Outcome == Outcome.Yes) ? 1 : 0;
            }

            paysIfNone += leg.Outcome == Outcome.No ? 1 : 0;
        }

        bool exhaustive = groups[group].Exhaustive;
        for (int w = 1; w < members.Count; w++)
        {
            if (pays[w] != pays[0])
            {
                why = $"one set pays ${pays[0]} if {groups[group].Outcomes[0]} wins but ${pays[w]} if {groups[group].Outcomes[w]} wins";
                return null;
            }
        }

        if (!exhaustive && paysIfNone != pays[0])
        {
            why = $"the group is not marked exhaustive, and one set pays ${pays[0]} if a listed outcome wins but ${paysIfNone} if none of them does";
            return null;
        }

        return pays[0] > 0 ? Money.FromMicros(pays[0] * FixedDecimal.Scale) : null;
    }

    private static bool AllBuysOfOneSize(IReadOnlyList<OrderIntent> legs, out Quantity size)
    {
        size = legs.Count > 0 ? legs[0].Quantity : Quantity.Zero;
        foreach (OrderIntent leg in legs)
        {
            if (leg.Side != OrderSide.Buy || leg.Quantity != size)
            {
                return false;
            }
        }

        return legs.Count > 0;
    }

    private static int IndexOf(IReadOnlyList<int> members, int eventIndex)
    {
        for (int w = 0; w < members.Count; w++)
        {
            if (members[w] == eventIndex)
            {
                return w;
            }
        }

        return -1;
    }
}
