using ArbBot.Abstractions.Strategies;

namespace ArbBot.Engine.Strategies;

/// <summary>A configured pair as strategies see it.</summary>
internal sealed class PairView : IPairView
{
    private readonly IBookView[] _legs;

    public PairView(int index, string eventId, IBookView[] legs)
    {
        Index = index;
        EventId = eventId;
        _legs = legs;
    }

    public int Index { get; }

    public string EventId { get; }

    public int LegCount => _legs.Length;

    public IBookView Leg(int index) => _legs[index];
}
