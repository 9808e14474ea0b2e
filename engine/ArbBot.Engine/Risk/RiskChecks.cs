using ArbBot.Engine.Books;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Execution;
using ArbBot.Engine.Orders;
using ArbBot.Engine.Risk.Budget;
using ArbBot.Engine.Risk.Checks;
using ArbBot.Engine.Risk.Ownership;

namespace ArbBot.Engine.Risk;

/// <summary>The pre-trade checks every engine runs, in their order. A new check goes into this list.</summary>
public static class RiskChecks
{
    /// <summary>
    /// The standard checks: the cheap structural ones first, then what the venues allow, then the
    /// ones a hedge or an unwind skips (legged event, cash, edge, exposure).
    /// </summary>
    public static IRiskCheck[] Standard(RiskLimits limits, BookStore books, Inventory inventory, IReadOnlyList<ExecutionRoute> routes, KillSwitch kill,
        AccountGate? account, Func<VenueCash?> cash, Func<int, bool> isLegged, IReadOnlyList<GroupConfig> groups, SharedBudget? budget = null,
        PairOwnership? ownership = null) =>
    [
        new EmptyGroupCheck(),
        new KillSwitchCheck(kill),
        .. ownership is null ? Array.Empty<IRiskCheck>() : [new OwnershipCheck(ownership)],
        new LegMarketsCheck(books),
        new EventScopeCheck(inventory, groups),
        new VenueRouteCheck(books, routes, account),
        new BookFreshnessCheck(books, limits),
        new OrderSizeCheck(limits),
        new PositionMismatchCheck(account),
        new RateLimitCheck(books, routes, limits),
        new LeggedEventCheck(isLegged),
        new BalanceCheck(cash),
        new EdgeCheck(books, limits),
        new ExposureCheck(inventory, limits),
        .. budget is null ? Array.Empty<IRiskCheck>() : [new SharedBudgetCheck(inventory, budget)],
    ];
}
