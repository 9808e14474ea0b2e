using ArbBot.Venues.Toolkit.Execution;

namespace ArbBot.Tests.Venues.Toolkit;

/// <summary>The shared request budget: its burst is granted at once, a request past it waits for the refill (and gives up when cancelled).</summary>
public sealed class RequestBudgetTests
{
    [Fact]
    public async Task The_burst_is_granted_at_once_and_a_cancelled_wait_past_it_gives_up()
    {
        // One token a second: after the burst, a request for 100 tokens needs 100 s of refill.
        using var budget = new RequestBudget(tokensPerSecond: 1, burst: 100);
        for (int i = 0; i < 100; i++)
        {
            ValueTask granted = budget.WaitAsync(1, CancellationToken.None);
            Assert.True(granted.IsCompletedSuccessfully, $"request {i + 1} of the burst waited");
            await granted;
        }

        using var cancel = new CancellationTokenSource();
        ValueTask waiting = budget.WaitAsync(100, cancel.Token);
        Assert.False(waiting.IsCompleted, "a request past the burst went through at once");
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await waiting);
    }
}
