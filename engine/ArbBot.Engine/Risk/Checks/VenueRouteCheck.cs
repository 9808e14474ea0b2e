using ArbBot.Abstractions.Orders;
using ArbBot.Abstractions.Strategies;
using ArbBot.Engine.Books;
using ArbBot.Engine.Execution;

namespace ArbBot.Engine.Risk.Checks;

/// <summary>
/// Every leg's venue can take the order now: it has an executor, its account has been reconciled,
/// and (for anything that adds risk) its circuit breaker is closed.
/// </summary>
public sealed class VenueRouteCheck(BookStore books, IReadOnlyList<ExecutionRoute> routes, AccountGate? account) : IRiskCheck
{
    /// <inheritdoc/>
    public bool AppliesToRiskReducing => true;

    /// <inheritdoc/>
    public string? Check(RiskRequest request, out string detail)
    {
        foreach (OrderIntent leg in request.Group.Legs)
        {
            ExecutionRoute route = routes[books[leg.Market].VenueIndex];
            if (route.Executor is null)
            {
                detail = $"venue {route.Venue} cannot take orders ({route.Kind})";
                return RejectReason.NoExecutor;
            }

            if (account?.VenueWait(route.VenueIndex) is { } wait)
            {
                detail = $"venue {route.Venue}: {wait}";
                return RejectReason.Unreconciled;
            }

            if (!request.ReducesRisk && route.Breaker.IsOpen(request.Now))
            {
                detail = $"venue {route.Venue}: circuit breaker open after {route.Breaker.ConsecutiveErrors} errors in a row";
                return RejectReason.CircuitBreaker;
            }
        }

        detail = "";
        return null;
    }
}
