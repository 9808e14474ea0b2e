using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;

namespace ArbBot.Venues.Polymarket.Parsing;

/// <summary>One level change of a price_change message (the asset id is a range of the frame).</summary>
internal struct PriceLevelChange(int assetStart, int assetLength, bool haveAsset, Price price, bool havePrice, Quantity size, bool haveSize, OrderSide side, bool haveSide)
{
    public int AssetStart = assetStart;
    public int AssetLength = assetLength;
    public bool HaveAsset = haveAsset;
    public Price Price = price;
    public bool HavePrice = havePrice;
    public Quantity Size = size;
    public bool HaveSize = haveSize;
    public OrderSide Side = side;
    public bool HaveSide = haveSide;
    public bool Known;
    public MarketHandle Market;
    public Outcome Outcome;
    public Price BestBid; // the venue's top of this token after the change (zero: not given)
    public Price BestAsk;
}
