using System.Globalization;

namespace ArbBot.Venues.Kalshi.Http;

/// <summary>
/// Every REST path and query the plugin sends, relative to <c>/trade-api/v2</c>, in one place: a
/// test builds the same calls with the official client (kalshi-typescript) and compares them.
/// </summary>
internal static class KalshiPaths
{
    /// <summary>Create an order (V2, single book).</summary>
    public const string PlaceOrder = "/portfolio/events/orders";

    /// <summary>The account's cash.</summary>
    public const string Balance = "/portfolio/balance";

    /// <summary>Cancel an order (V2); the ticker lets the venue route it.</summary>
    public static string CancelOrder(string orderId, string ticker) => $"/portfolio/events/orders/{E(orderId)}?market_ticker={E(ticker)}";

    /// <summary>One order.</summary>
    public static string Order(string orderId) => $"/portfolio/orders/{E(orderId)}";

    /// <summary>The account's orders on one market (to find one by its client order id).</summary>
    public static string OrdersOfMarket(string ticker) => $"/portfolio/orders?ticker={E(ticker)}&limit=200";

    /// <summary>The account's resting orders, a page at a time.</summary>
    public const string RestingOrders = "/portfolio/orders?status=resting&limit=200";

    /// <summary>The fills of one order.</summary>
    public static string FillsOfOrder(string orderId) => $"/portfolio/fills?order_id={E(orderId)}";

    /// <summary>The account's fills at or after a time (Unix seconds), a page at a time.</summary>
    public static string FillsSince(long minTsSeconds) => $"/portfolio/fills?min_ts={minTsSeconds.ToString(CultureInfo.InvariantCulture)}&limit=200";

    /// <summary>The markets where the account holds a position, a page at a time.</summary>
    public const string Positions = "/portfolio/positions?count_filter=position&limit=1000";

    /// <summary>Market objects by ticker (up to 100 a call).</summary>
    public static string Markets(IEnumerable<string> tickers) => $"/markets?tickers={E(string.Join(",", tickers))}&limit=1000";

    /// <summary>The next page of a paged list.</summary>
    public static string NextPage(string pathAndQuery, string cursor) => $"{pathAndQuery}&cursor={E(cursor)}";

    private static string E(string value) => Uri.EscapeDataString(value);
}
