using ArbBot.Abstractions.Events;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;

namespace ArbBot.Engine.Kernel;

/// <summary>What a venue's connector and executor write to: turns each call into a kernel event tagged with the venue.</summary>
public sealed class VenueEventSink : IVenueEventSink, IExecutionEventSink
{
    private readonly EngineKernel _kernel;
    private readonly int _venueIndex;

    /// <summary>Creates a sink for one venue.</summary>
    public VenueEventSink(EngineKernel kernel, int venueIndex)
    {
        _kernel = kernel;
        _venueIndex = venueIndex;
    }

    /// <inheritdoc/>
    public void OnBookSnapshot(BookSnapshot snapshot) => _kernel.Post(KernelEvent.ForSnapshot(_venueIndex, snapshot));

    /// <inheritdoc/>
    public void OnBookDelta(in BookDelta delta) => _kernel.Post(KernelEvent.ForDelta(_venueIndex, delta));

    /// <inheritdoc/>
    public void OnBookInvalidated(MarketHandle market, string reason) =>
        _kernel.Post(KernelEvent.ForInvalidation(_venueIndex, market, reason));

    /// <inheritdoc/>
    public void OnMarketFees(MarketHandle market, Abstractions.Fees.IFeeModel fees) =>
        _kernel.Post(KernelEvent.ForFees(_venueIndex, market, fees));

    /// <inheritdoc/>
    public void OnTrade(in TradePrint trade) => _kernel.Post(KernelEvent.ForTrade(_venueIndex, trade));

    /// <inheritdoc/>
    public void OnTicker(TickerUpdate ticker) => _kernel.Post(KernelEvent.ForTicker(_venueIndex, ticker));

    /// <inheritdoc/>
    public void OnVenueTop(MarketHandle market, Outcome outcome, Abstractions.FixedPoint.Price bestBid, Abstractions.FixedPoint.Price bestAsk) =>
        _kernel.Post(KernelEvent.ForVenueTop(_venueIndex, market, outcome, bestBid, bestAsk));

    /// <inheritdoc/>
    public void OnVenueStatus(VenueStatus status, string detail) => _kernel.Post(KernelEvent.ForStatus(_venueIndex, status, detail));

    /// <inheritdoc/>
    public void OnMarketResolved(MarketHandle market, Outcome winner, long venueTimestampMs) =>
        _kernel.Post(KernelEvent.ForResolution(_venueIndex, market, winner, venueTimestampMs));

    /// <inheritdoc/>
    public void OnOrderUpdate(OrderUpdate update) => _kernel.Post(KernelEvent.ForExecution(_venueIndex, KernelEventKind.OrderUpdate, update));

    /// <inheritdoc/>
    public void OnFill(Fill fill) => _kernel.Post(KernelEvent.ForExecution(_venueIndex, KernelEventKind.Fill, fill));

    /// <summary>What to do when the venue's executor reconnects (the engine reconciles its account); set by the host in live mode.</summary>
    public Action? Reconnected { get; set; }

    /// <inheritdoc/>
    public void OnReconnected() => Reconnected?.Invoke();
}
