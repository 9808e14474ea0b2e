using ArbBot.Abstractions.Fees;
using ArbBot.Abstractions.FixedPoint;

namespace ArbBot.Engine.Configuration;

/// <summary>
/// A venue's <c>fees:</c> entry as written (model and its parameters). The engine publishes it with
/// its pairs (Redis heartbeat) so another process, the dashboard, charges the same fees from the same models.
/// </summary>
/// <param name="Model">kalshi, polymarket or none.</param>
/// <param name="Multiplier">kalshi: the series' fee multiplier.</param>
/// <param name="MakerFees">kalshi: makers pay too.</param>
/// <param name="Rate">polymarket: the taker fee rate.</param>
public sealed record FeeSpec(string Model, Price Multiplier, bool MakerFees, Price Rate)
{
    /// <summary>No fees.</summary>
    public static FeeSpec None { get; } = new("none", Price.One, false, Price.Zero);

    /// <summary>The fee model it describes.</summary>
    public IFeeModel Create() => Model switch
    {
        "kalshi" => new KalshiFeeModel(Multiplier, MakerFees),
        "polymarket" => new PolymarketFeeModel(Rate),
        _ => NoFees.Instance,
    };
}
