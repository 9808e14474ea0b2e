using ArbBot.Abstractions.Orders;
using ArbBot.Abstractions.Strategies;
using ArbBot.Engine.Books;

namespace ArbBot.Engine.Risk.Checks;

/// <summary>Every leg names a known market, and only a good-till-date leg carries an expiry (in the future).</summary>
public sealed class LegMarketsCheck(BookStore books) : IRiskCheck
{
    /// <inheritdoc/>
    public bool AppliesToRiskReducing => true;

    /// <inheritdoc/>
    public string? Check(RiskRequest request, out string detail)
    {
        foreach (OrderIntent leg in request.Group.Legs)
        {
            if (!books.Contains(leg.Market))
            {
                detail = $"unknown market handle {leg.Market.Value}";
                return RejectReason.UnknownMarket;
            }

            if (ExpiryProblem(leg, request.NowMs) is { } expiry)
            {
                detail = expiry;
                return RejectReason.BadExpiry;
            }
        }

        detail = "";
        return null;
    }

    private static string? ExpiryProblem(in OrderIntent leg, long nowMs)
    {
        if (leg.TimeInForce != TimeInForce.GoodTillDate)
        {
            return leg.ExpiresAtMs == 0 ? null : $"ExpiresAtMs is only for good-till-date orders, not {leg.TimeInForce}";
        }

        if (leg.ExpiresAtMs == 0)
        {
            return "a good-till-date order needs ExpiresAtMs (Unix ms)";
        }

        return leg.ExpiresAtMs <= nowMs ? $"a good-till-date order's expiry {DateTimeOffset.FromUnixTimeMilliseconds(leg.ExpiresAtMs):O} has already passed" : null;
    }
}
