using ArbBot.Abstractions.Orders;
using ArbBot.Abstractions.Strategies;
using ArbBot.Engine.Books;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Execution;

namespace ArbBot.Engine.Risk.Checks;

/// <summary>
/// Every venue has room under <c>venue_orders_per_second</c> for all of its legs at once, or none
/// is sent. Hedges go even past the rate: leaving a position open is the bigger risk.
/// </summary>
public sealed class RateLimitCheck(BookStore books, IReadOnlyList<ExecutionRoute> routes, RiskLimits limits) : IRiskCheck
{
    /// <inheritdoc/>
    public bool AppliesToRiskReducing => false;

    /// <inheritdoc/>
    public string? Check(RiskRequest request, out string detail)
    {
        IReadOnlyList<OrderIntent> legs = request.Group.Legs;
        foreach (OrderIntent leg in legs)
        {
            int venue = books[leg.Market].VenueIndex;
            int legsThere = 0;
            foreach (OrderIntent other in legs)
            {
                if (books[other.Market].VenueIndex == venue)
                {
                    legsThere++;
                }
            }

            if (!routes[venue].RateLimit.Has(legsThere, request.Now))
            {
                detail = $"venue {routes[venue].Venue}: over venue_orders_per_second {limits.VenueOrdersPerSecond}";
                return RejectReason.RateLimit;
            }
        }

        detail = "";
        return null;
    }
}
