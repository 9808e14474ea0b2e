using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Orders;

namespace ArbBot.Engine.Execution;

/// <summary>
/// One order the engine sent, and where it is in its life. Updates may arrive late or out of
/// order (a fill after a cancel ack, an ack after the fill): <see cref="Apply"/> only moves
/// forward, and the filled quantity comes from fills, which are never lost.
/// </summary>
public sealed class ManagedOrder
{
    internal ManagedOrder(OrderRequest request, int venueIndex, string venue, long groupId, int leg, OrderRole role, long sentMs, long sentTimestamp)
    {
        Request = request;
        VenueIndex = venueIndex;
        Venue = venue;
        GroupId = groupId;
        Leg = leg;
        Role = role;
        SentMs = sentMs;
        SentTimestamp = sentTimestamp;
    }

    /// <summary>What was sent.</summary>
    public OrderRequest Request { get; }

    /// <summary>Venue index.</summary>
    public int VenueIndex { get; }

    /// <summary>Venue name.</summary>
    public string Venue { get; }

    /// <summary>The attempt (intent group) it belongs to.</summary>
    public long GroupId { get; }

    /// <summary>The pair's fencing number when the order was sent (its attempt's; 0 without ownership).</summary>
    public long Fence { get; internal set; }

    /// <summary>Index of the leg in its group.</summary>
    public int Leg { get; }

    /// <summary>Why it was sent.</summary>
    public OrderRole Role { get; }

    /// <summary>Unix ms when sent.</summary>
    public long SentMs { get; }

    /// <summary>Stopwatch ticks when sent.</summary>
    public long SentTimestamp { get; }

    /// <summary>Current state.</summary>
    public OrderStatus Status { get; private set; } = OrderStatus.New;

    /// <summary>Contracts filled (from fills).</summary>
    public Quantity Filled { get; private set; }

    /// <summary>What the fills cost (buy) or brought in (sell), before fees.</summary>
    public Money Notional { get; private set; }

    /// <summary>Fees charged on the fills.</summary>
    public Money Fees { get; private set; }

    /// <summary>The venue's id, once known.</summary>
    public string? VenueOrderId { get; private set; }

    /// <summary>Reason given with a reject or venue cancel.</summary>
    public string? Reason { get; private set; }

    /// <summary>A cancel was sent and not yet confirmed.</summary>
    public bool CancelRequested { get; internal set; }

    /// <summary>No more fills or updates will change it.</summary>
    public bool IsDone => IsTerminal(Status);

    /// <summary>Contracts still working.</summary>
    public Quantity Remaining => IsDone ? Quantity.Zero : Request.Quantity - Filled;

    /// <summary>Whether a state is final.</summary>
    public static bool IsTerminal(OrderStatus status) =>
        status is OrderStatus.Filled or OrderStatus.Cancelled or OrderStatus.Rejected or OrderStatus.Expired;

    /// <summary>Whether the state machine allows moving from one state to another.</summary>
    public static bool CanMove(OrderStatus from, OrderStatus to) => from switch
    {
        OrderStatus.New => to != OrderStatus.New,
        OrderStatus.Acked => to is not (OrderStatus.New or OrderStatus.Acked or OrderStatus.Rejected),
        OrderStatus.PartiallyFilled => to is OrderStatus.PartiallyFilled or OrderStatus.Filled or OrderStatus.Cancelled or OrderStatus.Expired,
        _ => false, // terminal
    };

    /// <summary>Applies a venue update; false (and no change) when it would move backwards or out of a final state.</summary>
    public bool Apply(OrderUpdate update)
    {
        VenueOrderId ??= update.VenueOrderId;
        if (!CanMove(Status, update.Status))
        {
            return false;
        }

        Status = update.Status;
        if (update.Reason is not null)
        {
            Reason = update.Reason;
        }

        if (IsDone)
        {
            CancelRequested = false;
        }

        return true;
    }

    /// <summary>Adds a fill (the caller has already dropped duplicates).</summary>
    public void AddFill(Fill fill)
    {
        Filled += fill.Quantity;
        _tradeIds?.Add(fill.TradeId);
        Notional += Money.Of(fill.Price, fill.Quantity, fill.Side == OrderSide.Buy ? Rounding.Up : Rounding.Down);
        Fees += fill.Fee;
        VenueOrderId ??= fill.VenueOrderId;
        if (Status == OrderStatus.New || Status == OrderStatus.Acked)
        {
            Status = Filled >= Request.Quantity ? OrderStatus.Filled : OrderStatus.PartiallyFilled;
        }
        else if (Status == OrderStatus.PartiallyFilled && Filled >= Request.Quantity)
        {
            Status = OrderStatus.Filled;
        }
    }

    /// <summary>Placed by an earlier run of the engine and restored from the fill log at start.</summary>
    public bool Restored { get; private set; }

    /// <summary>Stopwatch ticks when it was found done (0 while working).</summary>
    public long DoneTimestamp { get; internal set; }

    /// <summary>A restored order the venue still rested at the first reconciliation, now followed by the executor again.</summary>
    public bool Adopted { get; private set; }

    /// <summary>The venue's trade ids of its fills, kept for restored orders only (what adopting one hands its executor); empty otherwise.</summary>
    public IReadOnlyCollection<string> TradeIds => (IReadOnlyCollection<string>?)_tradeIds ?? [];

    private List<string>? _tradeIds; // restored orders only: an order of this run never needs them, so none is allocated per order

    /// <summary>The venue still rests this restored order: its executor follows it again.</summary>
    internal void Adopt(string venueOrderId)
    {
        Adopted = true;
        VenueOrderId ??= venueOrderId;
    }

    /// <summary>
    /// An order an earlier run left working, as the log has it: its state, venue id and the fills
    /// already counted. Waits for the venue's account to say what became of it.
    /// </summary>
    internal static ManagedOrder FromLog(OrderRequest request, int venueIndex, string venue, long groupId, int leg, OrderRole role, long sentMs, long nowTimestamp,
        OrderStatus status, string? venueOrderId, IEnumerable<Fill> fills)
    {
        var order = new ManagedOrder(request, venueIndex, venue, groupId, leg, role, sentMs, nowTimestamp) { Restored = true, Status = status, VenueOrderId = venueOrderId, _tradeIds = new List<string>() };
        foreach (Fill fill in fills)
        {
            order.AddFill(fill);
        }

        return order;
    }

    /// <summary>Ends an order whose fate is unknown (the engine restarted while it was working, or the executor failed).</summary>
    internal void Abandon(string reason)
    {
        if (!IsDone)
        {
            Status = OrderStatus.Expired;
            Reason = reason;
            CancelRequested = false;
        }
    }
}
