namespace ArbBot.Tests.Sizing;

internal enum FeeKind
{
    None,
    Kalshi,
    Polymarket,
}

/// <summary>A venue's fee formula by its parameters: Kalshi's rate is 0.07 times the series multiplier, Polymarket's the market's rate.</summary>
internal readonly record struct SizingCaseFee(FeeKind Kind, long RateMicros, long MultiplierMicros)
{
    public override string ToString() => Kind switch
    {
        FeeKind.Kalshi => $"kalshi x{MultiplierMicros / 1e6}",
        FeeKind.Polymarket => $"polymarket {RateMicros / 1e6}",
        _ => "none",
    };
}

/// <summary>One leg as the oracle sees it: its asks (price, quantity in millionths), best first, and its fees.</summary>
internal sealed record SizingCaseLeg(int Book, bool Yes, (long Price, long Quantity)[] Asks, SizingCaseFee Fee);

/// <summary>A random sizing problem: legs on one or more books, and the rules.</summary>
internal sealed record SizingCase(
    int Seed,
    IReadOnlyList<SizingCaseLeg> Legs,
    long MinEdgeMicros,
    long MinEdgeBps,
    long MaxSlippageMicros,
    long MaxContractsMicros,
    long MaxOrderMicros,
    long PayoutMicros)
{
    public override string ToString() =>
        $"seed {Seed}: payout {PayoutMicros / 1e6} per set, min_edge_usd {MinEdgeMicros / 1e6}, min_edge_bps {MinEdgeBps}, max_slippage {MaxSlippageMicros / 1e6}, max_contracts {MaxContractsMicros / 1e6}, max_order_usd {MaxOrderMicros / 1e6}; "
        + string.Join("; ", Legs.Select(l => $"book {l.Book} {(l.Yes ? "YES" : "NO")} ({l.Fee}) asks " + string.Join(" ", l.Asks.Select(a => $"{a.Price / 1e6}x{a.Quantity / 1e6}"))));
}
