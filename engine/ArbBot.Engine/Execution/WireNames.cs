using ArbBot.Abstractions.Orders;

namespace ArbBot.Engine.Execution;

/// <summary>The names the journal, the status and the reports use for attempt and order states.</summary>
public static class WireNames
{
    /// <summary>An attempt's status: working, filled, legged, partially_filled, unfilled.</summary>
    public static string Of(AttemptStatus status) => status switch
    {
        AttemptStatus.Working => "working",
        AttemptStatus.Filled => "filled",
        AttemptStatus.Legged => "legged",
        AttemptStatus.PartiallyFilled => "partially_filled",
        _ => "unfilled",
    };

    /// <summary>An order's status: new, acked, partially_filled, filled, cancelled, rejected, expired.</summary>
    public static string Of(OrderStatus status) => status switch
    {
        OrderStatus.New => "new",
        OrderStatus.Acked => "acked",
        OrderStatus.PartiallyFilled => "partially_filled",
        OrderStatus.Filled => "filled",
        OrderStatus.Cancelled => "cancelled",
        OrderStatus.Rejected => "rejected",
        _ => "expired",
    };

    /// <summary>A time in force: gtc, ioc, gtd, fok.</summary>
    public static string Of(TimeInForce tif) => tif switch
    {
        TimeInForce.GoodTillCancelled => "gtc",
        TimeInForce.ImmediateOrCancel => "ioc",
        TimeInForce.GoodTillDate => "gtd",
        _ => "fok",
    };
}
