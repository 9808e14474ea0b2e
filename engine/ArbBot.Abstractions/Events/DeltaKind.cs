namespace ArbBot.Abstractions.Events;

/// <summary>What the quantity of a <see cref="BookDelta"/> means.</summary>
public enum DeltaKind : byte
{
    /// <summary>The new total size at the level; zero removes it (Polymarket price_change).</summary>
    Set = 0,

    /// <summary>A signed change to the size at the level (Kalshi orderbook_delta).</summary>
    Add = 1,
}
