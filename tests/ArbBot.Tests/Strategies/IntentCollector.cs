using ArbBot.Abstractions.Orders;
using ArbBot.Abstractions.Strategies;
using ArbBot.Engine.Books;
using ArbBot.Engine.Kernel;
using ArbBot.Engine.Pipeline;

namespace ArbBot.Tests.Strategies;

/// <summary>A kernel listener after a strategy host that takes what it queued, as the decision pipeline would, into a list (locked: the test thread reads it).</summary>
internal sealed class IntentCollector(IntentQueue intents, List<IntentGroup> into) : IKernelListener
{
    public void OnBookUpdated(MarketBook book) => Take();

    public void OnOrderUpdate(int venueIndex, OrderUpdate update) => Take();

    public void OnFill(int venueIndex, Fill fill) => Take();

    public void OnTimer(long nowTimestamp) => Take();

    private void Take()
    {
        IReadOnlyList<IntentGroup> batch = intents.TakeAll();
        if (batch.Count > 0)
        {
            lock (into)
            {
                into.AddRange(batch);
            }
        }
    }
}
