using ArbBot.Abstractions.Orders;
using ArbBot.Venues.Sim.Model;

namespace ArbBot.Venues.Sim.Matching;

/// <summary>An order of ours resting in the simulated book, with its place in the queue.</summary>
internal sealed class RestingOrder
{
    public RestingOrder(OrderRequest request, string venueOrderId, SimBook book, long remaining, long filled, long queueAhead)
    {
        Request = request;
        VenueOrderId = venueOrderId;
        Book = book;
        Remaining = remaining;
        Filled = filled;
        QueueAhead = queueAhead;
    }

    public OrderRequest Request { get; }

    public string VenueOrderId { get; }

    public SimBook Book { get; }

    /// <summary>Micro-contracts still working.</summary>
    public long Remaining { get; set; }

    /// <summary>Micro-contracts filled so far.</summary>
    public long Filled { get; set; }

    /// <summary>Displayed micro-contracts ahead of us at our price; trades there consume it before reaching us.</summary>
    public long QueueAhead { get; set; }
}
