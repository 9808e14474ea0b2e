using ArbBot.Abstractions.Events;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;

namespace ArbBot.Tests.Books;

/// <summary>Terse construction of levels, snapshots and deltas for book tests.</summary>
internal static class BookBuilder
{
    public static PriceLevel L(string price, string quantity) => new(Price.Parse(price), Quantity.Parse(quantity));

    public static PriceLevel[] Levels(params (string Price, string Quantity)[] levels) =>
        levels.Select(l => L(l.Price, l.Quantity)).ToArray();

    public static BookSnapshot BidsOnly(MarketHandle market, long sequence, PriceLevel[] yesBids, PriceLevel[] noBids) =>
        new(market, sequence, 0, 0, yesBids, [], noBids, []);

    public static BookSnapshot TwoSided(MarketHandle market, PriceLevel[] yesBids, PriceLevel[] yesAsks, PriceLevel[] noBids, PriceLevel[] noAsks) =>
        new(market, 0, 0, 0, yesBids, yesAsks, noBids, noAsks);

    public static BookDelta Add(MarketHandle market, Outcome outcome, string price, string change, long sequence) =>
        new(market, outcome, BookSide.Bid, Price.Parse(price), Quantity.Parse(change), DeltaKind.Add, sequence, 0, 0);

    public static BookDelta Set(MarketHandle market, Outcome outcome, BookSide side, string price, string size, bool last = true) =>
        new(market, outcome, side, Price.Parse(price), Quantity.Parse(size), DeltaKind.Set, 0, 0, 0, last);
}
