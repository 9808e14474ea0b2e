namespace ArbBot.Abstractions.Strategies;

/// <summary>
/// Optional: a strategy that wants to hear what became of each group it emitted, so it never
/// believes in a quote that was refused or has ended. Called on the kernel thread, after the
/// call that emitted the group has returned; what it emits is checked like any other group.
/// </summary>
public interface IStrategyIntents
{
    /// <summary>A group of this strategy was accepted, refused, or has ended.</summary>
    void OnIntentUpdate(in IntentGroupUpdate update, IStrategyContext context);
}
