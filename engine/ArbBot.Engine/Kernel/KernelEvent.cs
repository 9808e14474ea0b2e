using ArbBot.Abstractions.Events;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;

namespace ArbBot.Engine.Kernel;

/// <summary>
/// One item on the kernel's queue. A struct with the hot case (a book delta) inline, so
/// queueing a delta allocates nothing; rare events carry an object payload.
/// </summary>
public readonly struct KernelEvent
{
    /// <summary>What the event is.</summary>
    public KernelEventKind Kind { get; private init; }

    /// <summary>Index of the venue that produced it (-1 for engine events).</summary>
    public int VenueIndex { get; private init; }

    /// <summary>The delta, for <see cref="KernelEventKind.BookDelta"/>.</summary>
    public BookDelta Delta { get; private init; }

    /// <summary>The market, for <see cref="KernelEventKind.BookInvalidated"/>.</summary>
    public MarketHandle Market { get; private init; }

    /// <summary>Snapshot, status, order update, fill or command, by kind.</summary>
    public object? Payload { get; private init; }

    /// <summary>A reason or detail text, by kind.</summary>
    public string? Text { get; private init; }

    /// <summary>A book delta.</summary>
    public static KernelEvent ForDelta(int venueIndex, in BookDelta delta) =>
        new() { Kind = KernelEventKind.BookDelta, VenueIndex = venueIndex, Delta = delta, Market = delta.Market };

    /// <summary>A snapshot.</summary>
    public static KernelEvent ForSnapshot(int venueIndex, BookSnapshot snapshot) =>
        new() { Kind = KernelEventKind.BookSnapshot, VenueIndex = venueIndex, Payload = snapshot, Market = snapshot.Market };

    /// <summary>A book invalidation.</summary>
    public static KernelEvent ForInvalidation(int venueIndex, MarketHandle market, string reason) =>
        new() { Kind = KernelEventKind.BookInvalidated, VenueIndex = venueIndex, Market = market, Text = reason };

    /// <summary>A venue status change.</summary>
    public static KernelEvent ForStatus(int venueIndex, VenueStatus status, string detail) =>
        new() { Kind = KernelEventKind.VenueStatus, VenueIndex = venueIndex, Payload = status, Text = detail };

    /// <summary>An order update or fill.</summary>
    public static KernelEvent ForExecution(int venueIndex, KernelEventKind kind, object payload) =>
        new() { Kind = kind, VenueIndex = venueIndex, Payload = payload };

    /// <summary>A market resolved with a winning outcome.</summary>
    public static KernelEvent ForResolution(int venueIndex, MarketHandle market, Outcome winner, long venueTimestampMs) =>
        new() { Kind = KernelEventKind.MarketResolved, VenueIndex = venueIndex, Market = market, Payload = new MarketResolution(winner, venueTimestampMs) };

    /// <summary>A market's fee model, as the venue reports it.</summary>
    public static KernelEvent ForFees(int venueIndex, MarketHandle market, Abstractions.Fees.IFeeModel fees) =>
        new() { Kind = KernelEventKind.MarketFees, VenueIndex = venueIndex, Market = market, Payload = fees };

    /// <summary>
    /// A public trade, packed into the inline delta fields so that it allocates nothing: the
    /// side is the book side the taker took from (asks when it bought).
    /// </summary>
    public static KernelEvent ForTrade(int venueIndex, in TradePrint trade) => new()
    {
        Kind = KernelEventKind.Trade,
        VenueIndex = venueIndex,
        Market = trade.Market,
        Delta = new BookDelta(trade.Market, trade.Outcome, trade.Aggressor == OrderSide.Buy ? BookSide.Ask : BookSide.Bid, trade.Price, trade.Size, DeltaKind.Set, 0, trade.VenueTimestampMs, trade.ReceivedTimestamp),
    };

    /// <summary>The trade of a <see cref="KernelEventKind.Trade"/> event.</summary>
    public TradePrint Trade => new(Delta.Market, Delta.Outcome, Delta.Price, Delta.Quantity, Delta.Side == BookSide.Ask ? OrderSide.Buy : OrderSide.Sell, Delta.VenueTimestampMs, Delta.ReceivedTimestamp);

    /// <summary>
    /// The venue's best bid and ask of one outcome, packed into the inline delta fields (the ask
    /// in the quantity's place) so that it allocates nothing.
    /// </summary>
    public static KernelEvent ForVenueTop(int venueIndex, MarketHandle market, Outcome outcome, Price bestBid, Price bestAsk) => new()
    {
        Kind = KernelEventKind.VenueTop,
        VenueIndex = venueIndex,
        Market = market,
        Delta = new BookDelta(market, outcome, BookSide.Bid, bestBid, Quantity.FromMicros(bestAsk.Micros), DeltaKind.Set, 0, 0, 0),
    };

    /// <summary>The best bid and ask of a <see cref="KernelEventKind.VenueTop"/> event.</summary>
    public (Outcome Outcome, Price BestBid, Price BestAsk) VenueTop => (Delta.Outcome, Delta.Price, Price.FromMicros(Delta.Quantity.Micros));

    /// <summary>The venue's market summary.</summary>
    public static KernelEvent ForTicker(int venueIndex, TickerUpdate ticker) =>
        new() { Kind = KernelEventKind.Ticker, VenueIndex = venueIndex, Market = ticker.Market, Payload = ticker };

    /// <summary>A timer tick.</summary>
    public static KernelEvent ForTimer() => new() { Kind = KernelEventKind.Timer, VenueIndex = -1 };

    /// <summary>Work to run on the kernel thread.</summary>
    public static KernelEvent ForCommand(Action command) =>
        new() { Kind = KernelEventKind.Command, VenueIndex = -1, Payload = command };
}
