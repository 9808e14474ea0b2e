using ArbBot.Abstractions.Fees;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Abstractions.Strategies;
using ArbBot.Engine.Books;
using ArbBot.Engine.Orders;

namespace ArbBot.Engine.Strategies;

/// <summary>A strategy's read-only window on one engine book, plus our position in it. One per book, made once.</summary>
internal sealed class BookView : IBookView
{
    private readonly MarketBook _book;
    private readonly Inventory _inventory;
    private readonly EventClock _clock;

    public BookView(MarketBook book, Inventory inventory, EventClock clock)
    {
        _book = book;
        _inventory = inventory;
        _clock = clock;
    }

    public MarketHandle Market => _book.Handle;

    public string Venue => _book.VenueName;

    public string MarketId => _book.MarketId;

    public bool IsStale => _book.IsStale;

    public bool IsCrossed => _book.IsCrossed;

    public int Epoch => _book.Epoch;

    public long AgeMs => _book.LastUpdateTimestamp == 0 ? long.MaxValue : _clock.MillisecondsSince(_book.LastUpdateTimestamp);

    public Price Tick => _book.Tick;

    public IFeeModel Fees => _book.Fees;

    public Abstractions.Events.TradePrint LastTrade => _book.LastTrade;

    public bool TryGetBestBid(Outcome outcome, out PriceLevel level) => _book.TryGetBestBid(outcome, out level);

    public bool TryGetBestAsk(Outcome outcome, out PriceLevel level) => _book.TryGetBestAsk(outcome, out level);

    public int LevelCount(Outcome outcome, BookSide side) => _book.LevelCount(outcome, side);

    public PriceLevel GetLevel(Outcome outcome, BookSide side, int index) => _book.GetLevel(outcome, side, index);

    public BookWalk WalkBuy(Outcome outcome, Quantity maxQuantity, Price limit) => _book.WalkBuy(outcome, maxQuantity, limit);

    public BookWalk WalkSell(Outcome outcome, Quantity maxQuantity, Price limit) => _book.WalkSell(outcome, maxQuantity, limit);

    public Quantity Position(Outcome outcome) => _inventory.Position(_book.Handle, outcome);

    public Quantity OpenOrderQuantity(Outcome outcome, OrderSide side) => _inventory.OpenQuantity(_book.Handle, outcome, side);
}
