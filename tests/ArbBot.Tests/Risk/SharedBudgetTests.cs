using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Engine.Books;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Orders;
using ArbBot.Engine.Risk.Budget;

namespace ArbBot.Tests.Risk;

/// <summary>
/// The engine's side of the shared risk budget: what a round asks Redis for, that a release lowers
/// the local grant before Redis hears of it, the grants Redis returns, the local share (rounded
/// down) once the grants go half a lease unrenewed, and outcome groups counted as one unit.
/// </summary>
public sealed class SharedBudgetTests
{
    private static readonly SharedBudgetOptions Options = new("acct", Money.FromCents(4_000), Money.FromCents(1_500), Price.FromMicros(333_333), Money.FromCents(500), TimeSpan.FromSeconds(2));

    [Fact]
    public void A_round_asks_for_the_room_wanted_lowers_released_grants_at_once_and_takes_what_Redis_grants()
    {
        (SharedBudget budget, StepClock clock) = NewBudget();
        var desired = new long[budget.UnitNames.Count];
        Assert.Equal(["E1", "E2", "E3", "G-A", "G-B", "group:G"], budget.UnitNames);
        Assert.Equal("waiting for the first grant", budget.Mode);
        Assert.Equal(Money.Zero, budget.Granted(0));

        // A buy that did not fit asks for what it lacked, at least a chunk, at most the unit's budget.
        budget.Want(0, Money.FromCents(200));
        budget.Want(1, Money.FromCents(9_000));
        budget.BeginRound(desired);
        Assert.Equal([5_000_000, 15_000_000, 0, 0, 0, 0], desired);

        budget.Apply([5_000_000, 12_000_000, 0, 0, 0, 0], clock.GetTimestamp());
        Assert.Equal(("shared", Money.FromCents(500), Money.FromCents(1_200), Money.FromCents(1_700)), (budget.Mode, budget.Granted(0), budget.Granted(1), budget.TotalGranted));

        // Headroom is kept while wanted lately; then the round asks for what is held (nothing) and lowers the grant before sending.
        clock.Advance(TimeSpan.FromSeconds(1));
        budget.BeginRound(desired);
        Assert.Equal([5_000_000, 5_000_000, 0, 0, 0, 0], desired);
        Assert.Equal(Money.FromCents(500), budget.Granted(1)); // lowered to what is asked, before Redis releases the rest
        clock.Advance(TimeSpan.FromSeconds(11));
        budget.BeginRound(desired);
        Assert.Equal([0, 0, 0, 0, 0, 0], desired);
        Assert.Equal((Money.Zero, Money.Zero, Money.Zero), (budget.Granted(0), budget.Granted(1), budget.TotalGranted));
    }

    [Fact]
    public void Grants_unrenewed_for_half_a_lease_give_way_to_the_local_share_rounded_down_until_Redis_grants_again()
    {
        (SharedBudget budget, StepClock clock) = NewBudget();
        budget.Apply([15_000_000, 15_000_000, 10_000_000, 0, 0, 0], clock.GetTimestamp());
        clock.Advance(TimeSpan.FromMilliseconds(999));
        budget.ExpireIfStale(clock.GetTimestamp());
        Assert.Equal(("shared", Money.FromCents(1_500)), (budget.Mode, budget.Granted(0)));

        clock.Advance(TimeSpan.FromMilliseconds(2));
        budget.ExpireIfStale(clock.GetTimestamp());
        Assert.True(budget.IsLocal);
        Assert.StartsWith("local share 0.333333 of the budget", budget.Mode, StringComparison.Ordinal);
        Assert.Equal(Money.FromMicros(4_999_995), budget.Granted(0));   // $15 x 0.333333, down
        Assert.Equal(Money.FromMicros(13_333_320), budget.TotalGranted); // $40 x 0.333333, down

        budget.Apply([1_000_000, 0, 0, 0, 0, 0], clock.GetTimestamp());
        Assert.Equal(("shared", Money.FromCents(100), Money.FromCents(100)), (budget.Mode, budget.Granted(0), budget.TotalGranted));
    }

    [Fact]
    public void An_outcome_groups_events_share_one_unit()
    {
        (SharedBudget budget, StepClock _) = NewBudget();
        Assert.Equal((0, 1, 5, 5), (budget.UnitOf(0), budget.UnitOf(1), budget.UnitOf(3), budget.UnitOf(4)));

        // A round asks nothing for the outcomes' own units (their exposure is the group's).
        budget.Want(5, Money.FromCents(100));
        var desired = new long[6];
        budget.BeginRound(desired);
        Assert.Equal([0, 0, 0, 0, 0, 5_000_000], desired);
    }

    /// <summary>Events E1, E2, E3 on their own; G-A and G-B the outcomes of group G.</summary>
    private static (SharedBudget Budget, StepClock Clock) NewBudget()
    {
        var inventory = new Inventory();
        string[] events = ["E1", "E2", "E3", "G-A", "G-B"];
        inventory.MapEvents(events.Select((e, i) => new MarketPair(e, [new MarketHandle(2 * i), new MarketHandle((2 * i) + 1)])).ToList());
        inventory.MapGroups([([3, 4], true)]);
        var clock = new StepClock();
        return (new SharedBudget(Options, inventory, events, ["G"], clock), clock);
    }

    /// <summary>A clock whose timestamps move only when the test says.</summary>
    private sealed class StepClock : TimeProvider
    {
        private long _ticks = 1_000_000;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
