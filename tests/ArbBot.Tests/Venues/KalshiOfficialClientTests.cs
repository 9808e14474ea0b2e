using System.Text.Json;
using System.Web;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Venues.Kalshi.Execution;
using ArbBot.Venues.Kalshi.Http;

namespace ArbBot.Tests.Venues;

/// <summary>
/// The official Kalshi client, <c>kalshi-typescript</c> from npm (tests/node/kalshi-oracle.mjs,
/// offline), as the oracle for the plugin's requests: every path and query the plugin sends is
/// built again with the client's own request builders and must be the same call, and every order
/// body is checked against the client's <c>CreateOrderV2Request</c> model (fields, required fields,
/// types, enum values).
/// </summary>
public sealed class KalshiOfficialClientTests
{
    [Fact]
    public void Every_request_the_plugin_sends_is_the_call_the_official_client_builds_and_order_bodies_fit_its_model()
    {
        (string Name, object Args, string Method, string Ours)[] calls =
        [
            ("createOrderV2", new { body = new { ticker = "KXFED-26DEC-T4.25", side = "bid", count = "1", price = "0.5", time_in_force = "good_till_canceled", self_trade_prevention_type = "taker_at_cross" } }, "POST", KalshiPaths.PlaceOrder),
            ("cancelOrderV2", new { orderId = "ee2f/1 a", marketTicker = "KXFED-26DEC-T4.25" }, "DELETE", KalshiPaths.CancelOrder("ee2f/1 a", "KXFED-26DEC-T4.25")),
            ("getOrder", new { orderId = "ee2f-1" }, "GET", KalshiPaths.Order("ee2f-1")),
            ("getOrders", new { ticker = "KXFED-26DEC-T4.25", limit = 200 }, "GET", KalshiPaths.OrdersOfMarket("KXFED-26DEC-T4.25")),
            ("getOrders", new { status = "resting", limit = 200 }, "GET", KalshiPaths.RestingOrders),
            ("getOrders", new { status = "resting", limit = 200, cursor = "c2Vjb25k+/=" }, "GET", KalshiPaths.NextPage(KalshiPaths.RestingOrders, "c2Vjb25k+/=")),
            ("getFills", new { orderId = "ee2f-1" }, "GET", KalshiPaths.FillsOfOrder("ee2f-1")),
            ("getFills", new { minTs = 1765000000, limit = 200 }, "GET", KalshiPaths.FillsSince(1765000000)),
            ("getPositions", new { limit = 1000, countFilter = "position" }, "GET", KalshiPaths.Positions),
            ("getBalance", new { }, "GET", KalshiPaths.Balance),
            ("getMarkets", new { limit = 1000, tickers = "KXFED-26DEC-T4.25,KXFED-26DEC-T4.50" }, "GET", KalshiPaths.Markets(["KXFED-26DEC-T4.25", "KXFED-26DEC-T4.50"])),
        ];
        var market = new MarketHandle(0);
        OrderRequest[] orders =
        [
            new("arb-1-0", market, "KXFED-26DEC-T4.25", Outcome.Yes, OrderSide.Buy, Price.Parse("0.42"), Quantity.FromContracts(10), TimeInForce.GoodTillCancelled, PostOnly: true),
            new("arb-1-1", market, "KXFED-26DEC-T4.25", Outcome.No, OrderSide.Buy, Price.Parse("0.57"), Quantity.Parse("2.5"), TimeInForce.ImmediateOrCancel),
            new("arb-2-0", market, "KXFED-26DEC-T4.25", Outcome.Yes, OrderSide.Sell, Price.Parse("0.999"), Quantity.FromContracts(3), TimeInForce.FillOrKill),
            new("arb-3-0", market, "KXFED-26DEC-T4.25", Outcome.No, OrderSide.Sell, Price.Parse("0.01"), Quantity.FromContracts(1), TimeInForce.GoodTillDate, ExpiresAtMs: 1_765_000_123_456),
        ];

        JsonElement official = NodeOracle.Run("kalshi-oracle.mjs", "kalshi-typescript", new { calls = calls.Select(c => new { name = c.Name, args = c.Args }), bodies = orders.Select(KalshiExecutor.OrderBody) });

        JsonElement[] built = official.GetProperty("calls").EnumerateArray().ToArray();
        Assert.Equal(calls.Length, built.Length);
        for (int i = 0; i < calls.Length; i++)
        {
            string theirs = built[i].GetProperty("url").GetString()!;
            Assert.True(built[i].GetProperty("method").GetString() == calls[i].Method && SameCall(theirs, calls[i].Ours),
                $"{calls[i].Name}: the official client builds {built[i].GetProperty("method")} {theirs}, the plugin sends {calls[i].Method} {calls[i].Ours}");
        }

        Assert.Contains("client_order_id", official.GetProperty("modelFields").EnumerateArray().Select(f => f.GetString()));
        JsonElement[] checkedBodies = official.GetProperty("bodies").EnumerateArray().ToArray();
        for (int i = 0; i < orders.Length; i++)
        {
            string[] problems = checkedBodies[i].GetProperty("problems").EnumerateArray().Select(p => p.GetString()!).ToArray();
            Assert.True(problems.Length == 0, $"order {orders[i].ClientOrderId} body {KalshiExecutor.OrderBody(orders[i])}: {string.Join("; ", problems)}");
        }
    }

    /// <summary>The same path, and the same query parameters with the same values (order and escaping aside).</summary>
    private static bool SameCall(string a, string b)
    {
        static (string Path, string Query) Split(string url) => url.IndexOf('?') is int q and >= 0 ? (url[..q], url[(q + 1)..]) : (url, "");
        (string pathA, string queryA) = Split(a);
        (string pathB, string queryB) = Split(b);
        static string Canonical(string query)
        {
            var values = HttpUtility.ParseQueryString(query);
            return string.Join("&", values.AllKeys.OrderBy(k => k, StringComparer.Ordinal).Select(k => $"{k}={values[k]}"));
        }

        return Uri.UnescapeDataString(pathA) == Uri.UnescapeDataString(pathB) && Canonical(queryA) == Canonical(queryB);
    }
}
