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

    /// <summary>Whether one of the pair's legs is this market.</summary>
    public bool Lists(ArbBot.Abstractions.Markets.MarketHandle market)
    {
        foreach (IBookView leg in _legs)
        {
            if (leg.Market == market)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The outcome group this pair is an outcome of, if any (set once, before the kernel runs).</summary>
    public GroupView? Group { get; set; }
}
