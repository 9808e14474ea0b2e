using ArbBot.Abstractions.Strategies;

namespace ArbBot.Engine.Strategies;

/// <summary>A configured outcome group as strategies see it.</summary>
internal sealed class GroupView : IGroupView
{
    private readonly PairView[] _outcomes;

    public GroupView(int index, string eventId, bool exhaustive, PairView[] outcomes)
    {
        Index = index;
        EventId = eventId;
        Exhaustive = exhaustive;
        _outcomes = outcomes;
    }

    public int Index { get; }

    public string EventId { get; }

    public bool Exhaustive { get; }

    public int OutcomeCount => _outcomes.Length;

    public IPairView Outcome(int index) => _outcomes[index];
}
