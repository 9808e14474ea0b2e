using ArbBot.Abstractions.FixedPoint;

namespace ArbBot.Abstractions.Strategies;

/// <summary>
/// Orders that belong together: the two legs of an arbitrage, a basket of more, a single maker
/// quote, or a cancel of an earlier group. Carries the edge the strategy computed and a reason
/// for people reading logs and reports.
/// </summary>
public sealed class IntentGroup
{
    private readonly OrderIntent[] _legs;

    private IntentGroup(IntentAction action, OrderIntent[] legs, Money expectedEdge, string reason, long cancelsGroupId)
    {
        Action = action;
        _legs = legs;
        ExpectedEdge = expectedEdge;
        Reason = reason;
        CancelsGroupId = cancelsGroupId;
    }

    /// <summary>Place or cancel.</summary>
    public IntentAction Action { get; }

    /// <summary>The orders (empty for a cancel).</summary>
    public IReadOnlyList<OrderIntent> Legs => _legs;

    /// <summary>Profit the strategy expects if every leg fills as planned, after fees.</summary>
    public Money ExpectedEdge { get; }

    /// <summary>Why, in words, with the numbers (kept short).</summary>
    public string Reason { get; }

    /// <summary>For a cancel: the group whose orders to cancel.</summary>
    public long CancelsGroupId { get; }

    /// <summary>Set by the engine on emit.</summary>
    public long Id { get; internal set; }

    /// <summary>Set by the engine on emit: the strategy's name.</summary>
    public string Strategy { get; internal set; } = "";

    /// <summary>Set by the engine on emit: the pair's event id.</summary>
    public string EventId { get; internal set; } = "";

    /// <summary>Set by the engine on emit: engine time, Unix ms.</summary>
    public long CreatedMs { get; internal set; }

    /// <summary>
    /// Set by the engine on emit: whether the group reduces risk (a strategy's hedge of its own
    /// fill, the legged policy's hedge or unwind). Risk runs fewer checks on it: leaving a
    /// position open is the bigger risk.
    /// </summary>
    public bool ReducesRisk { get; internal set; }

    /// <summary>A single order (a maker quote, a hedge).</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "Part of the strategy contract: a single order; scripts already call it.")]
    public static IntentGroup Single(OrderIntent leg, Money expectedEdge, string reason) =>
        new(IntentAction.Place, [leg], expectedEdge, reason, 0);

    /// <summary>Two legs that must both fill (an arbitrage).</summary>
    public static IntentGroup Pair(OrderIntent first, OrderIntent second, Money expectedEdge, string reason) =>
        new(IntentAction.Place, [first, second], expectedEdge, reason, 0);

    /// <summary>Any number of legs that must all fill (a basket over mutually exclusive outcomes).</summary>
    public static IntentGroup Basket(IReadOnlyList<OrderIntent> legs, Money expectedEdge, string reason)
    {
        var copy = new OrderIntent[legs.Count];
        for (int i = 0; i < copy.Length; i++)
        {
            copy[i] = legs[i];
        }

        return new IntentGroup(IntentAction.Place, copy, expectedEdge, reason, 0);
    }

    /// <summary>Cancel what remains of an earlier group.</summary>
    public static IntentGroup Cancel(long groupId, string reason) => new(IntentAction.Cancel, [], Money.Zero, reason, groupId);

    /// <summary>Used by the engine when it accepts the group.</summary>
    public void Stamp(long id, string strategy, string eventId, long createdMs) => Stamp(id, strategy, eventId, createdMs, reducesRisk: false);

    /// <summary>Used by the engine when it accepts the group, saying whether it reduces risk.</summary>
    public void Stamp(long id, string strategy, string eventId, long createdMs, bool reducesRisk)
    {
        if (Id != 0)
        {
            throw new InvalidOperationException($"intent group {Id} was already emitted; build a new one");
        }

        Id = id;
        Strategy = strategy;
        EventId = eventId;
        CreatedMs = createdMs;
        ReducesRisk = reducesRisk;
    }
}
