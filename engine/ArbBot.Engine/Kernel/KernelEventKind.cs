namespace ArbBot.Engine.Kernel;

/// <summary>What a <see cref="KernelEvent"/> carries.</summary>
public enum KernelEventKind : byte
{
    /// <summary>A book level changed (<see cref="KernelEvent.Delta"/>).</summary>
    BookDelta,

    /// <summary>A full book (<see cref="KernelEvent.Payload"/> is the snapshot).</summary>
    BookSnapshot,

    /// <summary>A connector invalidated a book (<see cref="KernelEvent.Text"/> is the reason).</summary>
    BookInvalidated,

    /// <summary>A venue link changed state (<see cref="KernelEvent.Payload"/> is the status, <see cref="KernelEvent.Text"/> the detail).</summary>
    VenueStatus,

    /// <summary>An order changed state (<see cref="KernelEvent.Payload"/> is the update).</summary>
    OrderUpdate,

    /// <summary>An order filled (<see cref="KernelEvent.Payload"/> is the fill).</summary>
    Fill,

    /// <summary>The periodic timer fired.</summary>
    Timer,

    /// <summary>Run <see cref="KernelEvent.Payload"/> (an <see cref="Action"/>) on the kernel thread.</summary>
    Command,

    /// <summary>A venue reported a market's fee model.</summary>
    MarketFees,

    /// <summary>A public trade, carried inline in <see cref="KernelEvent.Delta"/> (see <see cref="KernelEvent.Trade"/>).</summary>
    Trade,

    /// <summary>The venue's market summary (<see cref="KernelEvent.Payload"/> is the <see cref="Abstractions.Events.TickerUpdate"/>).</summary>
    Ticker,

    /// <summary>The venue's top of one outcome, in sequence with its book changes.</summary>
    VenueTop,

    /// <summary>A market resolved (payload: the winning outcome and the venue's time).</summary>
    MarketResolved,
}
