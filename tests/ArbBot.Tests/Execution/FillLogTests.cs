using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Engine.Execution;
using ArbBot.Engine.Execution.Journal;
using ArbBot.Engine.Risk;
using ArbBot.Engine.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArbBot.Tests.Execution;

/// <summary>The SQLite fill log: rows written off the caller's thread, read back for a restart and for the report.</summary>
public sealed class FillLogTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "arbbot-tests", "filllog-" + Guid.NewGuid().ToString("N"));

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_state_database_is_created_for_its_owner_alone_and_a_loose_one_is_tightened()
    {
        string path = Path.Combine(_dir, "private", "state.db");
        await using (FillLog log = FillLog.Open(path, "e1", NullLogger.Instance))
        {
            log.Start();
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        await using (FillLog log = FillLog.Open(path, "e1", NullLogger.Instance))
        {
            log.Start();
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task Attempts_left_working_by_a_crash_are_closed_at_restart_with_what_their_orders_became()
    {
        string path = Path.Combine(_dir, "crash", "state.db");
        await using (FillLog log = FillLog.Open(path, "e1", NullLogger.Instance))
        {
            log.Start();
            // Group 8: YES filled, NO still working when the engine died. Group 9: nothing filled.
            ManagedOrder yes = Order("arb-8-0", 8, 0, Outcome.Yes, "0.45");
            ManagedOrder no = Order("arb-8-1", 8, 1, Outcome.No, "0.50");
            log.AttemptStarted(new Attempt(8, "dutch_book", 0, "E1", "pair", 1, Money.Parse("0.20"), 0, [yes, no]), "test", 1, 1_000);
            log.OrderSent(yes, 1_000);
            log.OrderSent(no, 1_000);
            yes.AddFill(new("arb-8-0", "v1", "T8", new MarketHandle(0), Outcome.Yes, OrderSide.Buy, Price.Parse("0.45"), Quantity.Parse("10"), Money.Zero, false, 1_001));
            log.OrderChanged(yes, 1_001);
            ManagedOrder alone = Order("arb-9-0", 9, 0, Outcome.Yes, "0.45");
            log.AttemptStarted(new Attempt(9, "maker_hedge", 0, "E1", "single", 2, Money.Parse("0.20"), 0, [alone]), "test", 1, 1_000);
            log.OrderSent(alone, 1_000);
            await log.FlushAsync(TimeSpan.FromSeconds(10));
        }

        // The restart: open orders closed, then the attempts.
        await using (FillLog log = FillLog.Open(path, "e1", NullLogger.Instance))
        {
            log.Start();
            foreach (string id in FillLogReader.Load(path).OpenOrderIds)
            {
                log.OrderAbandoned(id, "the engine stopped", 2_000);
            }

            log.CloseAttemptsLeftWorking(2_000);
            await log.FlushAsync(TimeSpan.FromSeconds(10));
        }

        FillReport report = FillReport.Read(path);
        Assert.Equal(
            [new FillReport.AttemptRow("dutch_book", "pair", "legged", 1), new FillReport.AttemptRow("maker_hedge", "single", "unfilled", 1)],
            report.Attempts.OrderBy(a => a.Strategy).ToArray());
    }

    [Fact]
    public async Task What_is_written_comes_back_for_a_restart_and_for_the_report()
    {
        string path = Path.Combine(_dir, "nested", "state.db");
        await using (FillLog log = FillLog.Open(path, "e1", NullLogger.Instance))
        {
            log.Start();
            ManagedOrder yes = Order("arb-7-0", 7, 0, Outcome.Yes, "0.45");
            ManagedOrder no = Order("arb-7-1", 7, 1, Outcome.No, "0.50");
            var attempt = new Attempt(7, "dutch_book", 0, "E1", "pair", 1, Money.Parse("0.20"), 0, [yes, no]);
            log.AttemptStarted(attempt, "test", 12, 1_000);
            log.OrderSent(yes, 1_000);
            log.OrderSent(no, 1_000);
            Fill fill = new("arb-7-0", "v1", "T1", new MarketHandle(0), Outcome.Yes, OrderSide.Buy, Price.Parse("0.45"), Quantity.Parse("10"), Money.Parse("0.18"), false, 1_001);
            yes.AddFill(fill);
            log.FillReceived(fill, "ka", "KA-E1", 7, 1_002);
            log.FillReceived(fill, "ka", "KA-E1", 7, 1_003); // a replayed fill is stored once
            log.OrderChanged(yes, 1_002);
            attempt.Status = AttemptStatus.Filled;
            attempt.RealisedEdge = Money.Parse("0.25");
            log.AttemptFinished(attempt, 1_010);
            await log.FlushAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(7, log.Written);
        }

        FillLogState state = FillLogReader.Load(path);
        Assert.Equal(7, state.MaxGroupId);
        LoggedFill restored = Assert.Single(state.Fills);
        Assert.Equal(("ka", "T1", "KA-E1", Outcome.Yes, Price.Parse("0.45"), Quantity.Parse("10"), Money.Parse("0.18")),
            (restored.Venue, restored.TradeId, restored.MarketId, restored.Outcome, restored.Price, restored.Quantity, restored.Fee));
        Assert.Equal(["arb-7-1"], state.OpenOrderIds); // still "new" when the log closed

        FillReport report = FillReport.Read(path);
        Assert.Equal(new FillReport.AttemptRow("dutch_book", "pair", "filled", 1), Assert.Single(report.Attempts));
        FillReport.EdgeRow edge = Assert.Single(report.Edges);
        Assert.Equal((Money.Parse("0.20"), Money.Parse("0.25"), 12L), (edge.Predicted, edge.Realised, edge.AverageBookAgeMs));
        FillReport.FillRateRow rate = Assert.Single(report.FillRates);
        Assert.Equal(("v", "ioc strategy", 2L, 1L), (rate.Venue, rate.OrderType, rate.Orders, rate.Filled));
        Assert.Equal(50.0m, rate.FillRatePercent);
    }

    [Fact]
    public void The_kill_switch_row_survives_until_cleared()
    {
        string path = Path.Combine(_dir, "kill.db");
        Assert.Null(KillSwitchStore.Read(path));
        KillSwitchStore.Write(path, new KillState(true, "because", "cli", 42));
        Assert.Equal(new KillState(true, "because", "cli", 42), KillSwitchStore.Read(path));
        Assert.True(KillSwitchStore.Clear(path));
        Assert.False(KillSwitchStore.Clear(path));
        Assert.Null(KillSwitchStore.Read(path));
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_named_in_the_error()
    {
        Directory.CreateDirectory(_dir);
        string path = Path.Combine(_dir, "not-a-db.db");
        File.WriteAllText(path, "this is not sqlite, just some text long enough to have a header................................................");
        FillLogException ex = Assert.Throws<FillLogException>(() => FillLog.Open(path, "e1", NullLogger.Instance));
        Assert.StartsWith($"{path}: cannot open the fill log", ex.Message);
        string missing = Path.Combine(_dir, "missing.db");
        Assert.Equal($"{missing}: no fill log here yet (it is created by `arbbot run`)", Assert.Throws<FillLogException>(() => FillReport.Read(missing)).Message);
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static ManagedOrder Order(string id, long group, int leg, Outcome outcome, string price) =>
        new(new OrderRequest(id, new MarketHandle(leg), "M", outcome, OrderSide.Buy, Price.Parse(price), Quantity.Parse("10"), TimeInForce.ImmediateOrCancel), 0, "v", group, leg, OrderRole.Strategy, 1_000, 0);
}
