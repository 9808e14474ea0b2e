using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Abstractions.Strategies;
using ArbBot.Engine.Books;
using ArbBot.Engine.Configuration;

namespace ArbBot.Engine.Risk.Checks;

/// <summary>
/// The expected edge clears <c>min_edge_usd</c>; for an immediate complete set (a YES+NO pair, a
/// basket over an outcome group) the edge is also walked at the books as they are now (fees in),
/// so slippage since the strategy looked shows.
/// </summary>
public sealed class EdgeCheck(BookStore books, RiskLimits limits) : IRiskCheck
{
    /// <inheritdoc/>
    public bool AppliesToRiskReducing => false;

    /// <inheritdoc/>
    public string? Check(RiskRequest request, out string detail)
    {
        if (request.Group.ExpectedEdge < limits.MinEdgeUsd)
        {
            detail = $"expected edge ${request.Group.ExpectedEdge} is below min_edge_usd ${limits.MinEdgeUsd}";
            return RejectReason.MinEdge;
        }

        if (request.IsCompleteSet && AllImmediate(request.Group.Legs) && !EdgeHoldsNow(request, out detail))
        {
            return RejectReason.MinEdge;
        }

        detail = "";
        return null;
    }

    private static bool AllImmediate(IReadOnlyList<OrderIntent> legs)
    {
        foreach (OrderIntent leg in legs)
        {
            if (leg.TimeInForce.Rests())
            {
                return false; // a resting leg is priced for later, not against the book now
            }
        }

        return true;
    }

    private bool EdgeHoldsNow(RiskRequest request, out string detail)
    {
        IReadOnlyList<OrderIntent> legs = request.Group.Legs;
        Money cost = Money.Zero;
        Quantity q = legs[0].Quantity;
        foreach (OrderIntent leg in legs)
        {
            MarketBook book = books[leg.Market];
            BookWalk walk = book.WalkBuy(leg.Outcome, leg.Quantity, leg.LimitPrice);
            if (walk.Quantity < leg.Quantity)
            {
                detail = $"only {walk.Quantity} of {leg.Quantity} {leg.Outcome} left on {book.VenueName} at {leg.LimitPrice} or better";
                return false;
            }

            cost += walk.CostWithFee;
        }

        Money edge = request.PayoutOf(q) - cost;
        if (edge < limits.MinEdgeUsd)
        {
            detail = $"edge at the books now is ${edge} (cost ${cost} for {q} sets paying ${request.PayoutOf(q)}), below min_edge_usd ${limits.MinEdgeUsd}";
            return false;
        }

        detail = "";
        return true;
    }
}
