namespace ArbBot.Venues.Sim.Model;

/// <summary>Which real venue a simulated venue imitates.</summary>
internal enum SimStyle
{
    /// <summary>Bids-only books for YES and NO, 1-cent ticks, per-market sequence numbers, signed deltas, Kalshi fees.</summary>
    Kalshi,

    /// <summary>Per-outcome token books with bids and asks, absolute-size deltas in batches, no sequence, Polymarket fees.</summary>
    Polymarket,
}
