using ArbBot.Abstractions.FixedPoint;

namespace ArbBot.Abstractions.Discovery;

/// <summary>
/// One market as a venue lists it: enough to choose it, pair it with another venue's market and
/// put it in a config. Outcome labels come from the venue's own fields (never from list order).
/// </summary>
/// <param name="MarketId">The id a config's pair leg uses (Kalshi ticker, Polymarket condition id).</param>
/// <param name="EventId">The venue's event the market belongs to.</param>
/// <param name="Title">The market's question or title.</param>
/// <param name="YesLabel">What YES means here (Kalshi yes_sub_title, the Polymarket outcome mapped to YES).</param>
/// <param name="NoLabel">What NO means here.</param>
/// <param name="Status">The venue's status word (active, closed, ...).</param>
/// <param name="CloseTime">When trading stops, if the venue says.</param>
/// <param name="TickSize">The smallest price step (the finest where the grid is tapered).</param>
/// <param name="Volume">Contracts traded so far, if the venue says.</param>
/// <param name="Fees">The fee schedule in words ("quadratic x1", "maker 0, taker 2%").</param>
/// <param name="Rules">How the market resolves, as the venue states it (empty if it does not).</param>
/// <param name="YesId">The venue's instrument for YES where outcomes have their own (Polymarket token id).</param>
/// <param name="NoId">The venue's instrument for NO where outcomes have their own.</param>
public sealed record ListedMarket(
    string MarketId,
    string EventId,
    string Title,
    string YesLabel,
    string NoLabel,
    string Status,
    DateTimeOffset? CloseTime,
    Price TickSize,
    Quantity? Volume,
    string Fees,
    string Rules,
    string? YesId = null,
    string? NoId = null)
{
    /// <summary>When the event itself takes place (a game's start), if the venue says.</summary>
    public DateTimeOffset? EventTime { get; init; }

    /// <summary>The venue's own word for the kind of market (Polymarket moneyline, spreads, totals), if it has one.</summary>
    public string? MarketType { get; init; }

    /// <summary>The handicap or total line the market is about (e.g. -1.5), if the venue states it.</summary>
    public string? Line { get; init; }

    /// <summary>The title of the event the market belongs to, if the venue lists it with the market.</summary>
    public string? EventTitle { get; init; }

    /// <summary>The smallest order the venue takes, in contracts, if it says (Polymarket <c>orderMinSize</c>).</summary>
    public Quantity? MinimumSize { get; init; }

    /// <summary>Whether the market settles on the venue's neg-risk machinery (Polymarket: orders are signed for the neg-risk exchange), if it says.</summary>
    public bool? NegRisk { get; init; }

    /// <summary>
    /// Whether the venue says the markets of this market's event exclude each other (at most one
    /// resolves YES): Kalshi's event <c>mutually_exclusive</c>, a Polymarket neg-risk event. Null if
    /// it does not say. Evidence for an outcome group (<c>arbbot markets groups</c>), not proof that
    /// the outcomes are exhaustive.
    /// </summary>
    public bool? MutuallyExclusive { get; init; }

    /// <summary>The outcome this market stands for within its event (Polymarket <c>groupItemTitle</c>, Kalshi <c>yes_sub_title</c>), if the venue says.</summary>
    public string? OutcomeLabel { get; init; }

    /// <summary>Whether this market is its event's catch-all outcome ("Other": Polymarket <c>negRiskOther</c>), if the venue says.</summary>
    public bool? CatchAll { get; init; }

    /// <summary>Whether the venue may add outcomes to the event later (Polymarket <c>negRiskAugmented</c>), if it says.</summary>
    public bool? OutcomesMayBeAdded { get; init; }
}
