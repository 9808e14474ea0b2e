namespace ArbBot.Engine.Execution;

/// <summary>Why the engine sent an order.</summary>
public enum OrderRole : byte
{
    /// <summary>A leg of a strategy's intent group.</summary>
    Strategy,

    /// <summary>The legged policy buying the missing outcome.</summary>
    Hedge,

    /// <summary>The legged policy (or a flatten) selling the excess.</summary>
    Unwind,
}
