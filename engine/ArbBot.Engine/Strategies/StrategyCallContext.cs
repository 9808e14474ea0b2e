using ArbBot.Abstractions.Strategies;

namespace ArbBot.Engine.Strategies;

/// <summary>The one context object the host reuses for every strategy call (no allocation per call).</summary>
internal sealed class StrategyCallContext : IStrategyContext
{
    private readonly StrategyHost _host;

    private readonly EventClock _clock;

    public StrategyCallContext(StrategyHost host, RiskLimitsView limits, EventClock clock)
    {
        _host = host;
        Limits = limits;
        _clock = clock;
    }

    public IPairView Pair { get; set; } = null!;

    public IBookView Changed { get; set; } = null!;

    public IGroupView? Group => ((PairView)Pair).Group;

    public long NowMs => _clock.NowMs;

    public RiskLimitsView Limits { get; }

    public StrategyRuntime Runtime { get; set; } = null!;

    public long Emit(IntentGroup group) => _host.Emit(Runtime, (PairView)Pair, group, NowMs);

    public void Alert(StrategyAlertLevel level, string message) => _host.Alert(Runtime, Pair, level, message, NowMs);
}
