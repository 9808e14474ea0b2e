using ArbBot.Abstractions.Fees;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Abstractions.Strategies;
using ArbBot.Engine.Books;
using ArbBot.Engine.Orders;

namespace ArbBot.Engine.Risk;

/// <summary>
/// Cash per venue, for the <c>insufficient_balance</c> check: what the venue started with, less
/// what its fills took (buys with fees, less sales and settlement payouts), less what its working
/// buys could still take (limit x remaining, plus the most their fees could be). A group is sent
/// only if every venue it buys on can pay for all of its legs there, so no pair legs because its
/// second venue ran dry. Venues without a balance are not limited. In paper mode the starting
/// balance is <c>paper_balance_usd</c>; in live mode it is what the venue reports at each
/// reconciliation (<see cref="SetVenueBalance"/>), less what fills took since.
/// </summary>
public sealed class VenueCash
{
    private static readonly Price s_anyPrice = Price.FromMicros(999_999);
    private readonly Money?[] _starting;
    private readonly BookStore _books;
    private readonly Inventory _inventory;
    private MarketHandle[][]? _marketsByVenue; // found once, and again after books are added to a running engine (BooksAdded)

    /// <summary>Creates the check with each venue's starting balance (by venue index; null: unlimited).</summary>
    public VenueCash(IReadOnlyList<Money?> starting, BookStore books, Inventory inventory)
    {
        _starting = starting.ToArray();
        _books = books;
        _inventory = inventory;
    }

    /// <summary>
    /// The venue reported its cash now (kernel thread): from here on what it can spend is that, less
    /// what fills take from now on and what working buys reserve.
    /// </summary>
    public void SetVenueBalance(int venueIndex, Money balance)
    {
        Money spentSoFar = Money.Zero;
        foreach (MarketHandle market in MarketsOf(venueIndex))
        {
            spentSoFar += _inventory.CashOut(market);
        }

        _starting[venueIndex] = balance + spentSoFar;
    }

    /// <summary>Whether any venue is limited.</summary>
    public bool Limits => _starting.Any(s => s is not null);

    /// <summary>What a venue can still spend: null when it is not limited.</summary>
    public Money? Available(int venueIndex, out Money spent, out Money reserved)
    {
        spent = Money.Zero;
        reserved = Money.Zero;
        if ((uint)venueIndex >= (uint)_starting.Length || _starting[venueIndex] is not { } balance)
        {
            return null;
        }

        foreach (MarketHandle market in MarketsOf(venueIndex))
        {
            MarketBook book = _books[market];
            spent += _inventory.CashOut(book.Handle);
            Quantity openBuys = _inventory.OpenQuantity(book.Handle, Outcome.Yes, OrderSide.Buy) + _inventory.OpenQuantity(book.Handle, Outcome.No, OrderSide.Buy);
            if (openBuys.IsPositive)
            {
                reserved += _inventory.OpenBuyNotional(book.Handle) + FeeBounds.WorstTakerFee(book.Fees, s_anyPrice, openBuys, 1, 1);
            }
        }

        return balance - spent - reserved;
    }

    /// <summary>Null when every venue the group buys on can pay for its legs there; else the sentence saying which cannot.</summary>
    public string? Shortfall(IntentGroup group)
    {
        for (int i = 0; i < group.Legs.Count; i++)
        {
            int venue = _books[group.Legs[i].Market].VenueIndex;
            if (_starting[venue] is null || FirstLegOn(group, venue) != i)
            {
                continue; // unlimited, or this venue was checked at its first leg
            }

            Money needed = Money.Zero;
            foreach (OrderIntent leg in group.Legs)
            {
                MarketBook book = _books[leg.Market];
                if (book.VenueIndex == venue && leg.Side == OrderSide.Buy)
                {
                    needed += Money.Of(leg.LimitPrice, leg.Quantity, Rounding.Up) + FeeBounds.WorstTakerFee(book.Fees, leg.LimitPrice, leg.Quantity, 1, 1);
                }
            }

            Money available = Available(venue, out Money spent, out Money reserved)!.Value;
            if (needed > available)
            {
                return $"{_books[group.Legs[i].Market].VenueName} needs ${needed} for this group (limit x size and the most its fees could be) but has ${available} left "
                    + $"(balance ${_starting[venue]}, spent ${spent}, held by working buys ${reserved})";
            }
        }

        return null;
    }

    /// <summary>Books were registered while running (the pairs file changed): each venue's markets are found again. Kernel thread.</summary>
    public void BooksAdded() => _marketsByVenue = null;

    private MarketHandle[] MarketsOf(int venueIndex)
    {
        _marketsByVenue ??= Enumerable.Range(0, _starting.Length)
            .Select(v => Enumerable.Range(0, _books.Count).Select(m => new MarketHandle(m)).Where(h => _books[h].VenueIndex == v).ToArray())
            .ToArray();
        return _marketsByVenue[venueIndex];
    }

    private int FirstLegOn(IntentGroup group, int venue)
    {
        for (int i = 0; i < group.Legs.Count; i++)
        {
            if (_books[group.Legs[i].Market].VenueIndex == venue)
            {
                return i;
            }
        }

        return -1;
    }
}
