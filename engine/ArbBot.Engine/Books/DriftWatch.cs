using System.Diagnostics;
using ArbBot.Abstractions.Events;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;

namespace ArbBot.Engine.Books;

/// <summary>
/// Catches a book that has silently drifted from the venue's (a lost update the sequence numbers
/// did not reveal, or a venue without sequence numbers), two ways. Tickers: every venue ticker for
/// at least <see cref="Grace"/> (and at least <see cref="MinTickers"/> of them) says a different
/// YES top of book than ours; a ticker is not sequenced with the book, so one disagreeing now and
/// then is normal; one agreeing ticker, a new epoch or a stale book clears the suspicion. Venue
/// tops (<see cref="OnVenueTop"/>): the top the venue sends with its changes is in sequence with
/// the book, so <see cref="TopsInARow"/> disagreements in a row are enough. Kernel thread only.
/// </summary>
public sealed class DriftWatch
{
    private readonly Dictionary<MarketHandle, Suspect> _suspects = new();
    private readonly Dictionary<(MarketHandle, Outcome), (int Epoch, int Count)> _topMismatches = new();

    /// <summary>
    /// Venue tops that must disagree with the book in a row (same epoch) to count as drift: one
    /// could be a message the venue got out of order, several in a row cannot.
    /// </summary>
    public int TopsInARow { get; init; } = 3;

    /// <summary>How long tickers must keep disagreeing to count as drift (zero: never).</summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Disagreeing tickers needed, however long the grace has run.</summary>
    public int MinTickers { get; init; } = 3;

    /// <summary>Books found drifted so far.</summary>
    public long Drifts { get; private set; }

    /// <summary>A venue ticker arrived for a book.</summary>
    public void OnTicker(MarketBook book, TickerUpdate ticker, long now)
    {
        if (Grace <= TimeSpan.Zero)
        {
            return;
        }

        (Price bid, Price ask) = Top(book);
        bool disagrees = !book.IsStale
            && ((ticker.YesBid.Micros != 0 && ticker.YesBid != bid) || (ticker.YesAsk.Micros != 0 && ticker.YesAsk != ask));
        if (!disagrees)
        {
            _suspects.Remove(book.Handle);
        }
        else if (_suspects.TryGetValue(book.Handle, out Suspect suspect) && suspect.Epoch == book.Epoch)
        {
            _suspects[book.Handle] = suspect with { Tickers = suspect.Tickers + 1, Bid = bid, Ask = ask, Ticker = ticker };
        }
        else
        {
            _suspects[book.Handle] = new Suspect(now, book.Epoch, 1, bid, ask, ticker);
        }
    }

    /// <summary>
    /// The venue's best bid and ask of one outcome, right after changes it sent (zero: not said).
    /// Returns why the book has drifted when this is the <see cref="TopsInARow"/>-th disagreement
    /// in a row (the count starts again), else null.
    /// </summary>
    public string? OnVenueTop(MarketBook book, Outcome outcome, Price bid, Price ask)
    {
        Price ours = book.TryGetBestBid(outcome, out PriceLevel b) ? b.Price : Price.Zero;
        Price oursAsk = book.TryGetBestAsk(outcome, out PriceLevel a) ? a.Price : Price.Zero;
        bool disagrees = !book.IsStale && ((bid.Micros != 0 && bid != ours) || (ask.Micros != 0 && ask != oursAsk));
        var key = (book.Handle, outcome);
        if (!disagrees)
        {
            if (_topMismatches.Count != 0) // the usual case costs no hashing
            {
                _topMismatches.Remove(key);
            }

            return null;
        }

        int count = _topMismatches.TryGetValue(key, out (int Epoch, int Count) seen) && seen.Epoch == book.Epoch ? seen.Count + 1 : 1;
        if (count < TopsInARow)
        {
            _topMismatches[key] = (book.Epoch, count);
            return null;
        }

        _topMismatches.Remove(key);
        Drifts++;
        string side = outcome == Outcome.Yes ? "YES" : "NO";
        return $"book drifted: the venue's last {count} changes said {side} {Text(bid)} / {Text(ask)}, the book has {Text(ours)} / {Text(oursAsk)}";
    }

    /// <summary>
    /// The books whose disagreement outlasted the grace; each is forgotten once reported (the
    /// caller invalidates it and asks for a snapshot).
    /// </summary>
    public void Check(BookStore books, long now, List<(MarketHandle Market, string Reason)> drifted)
    {
        if (_suspects.Count == 0)
        {
            return;
        }

        long graceTicks = (long)(Grace.TotalSeconds * Stopwatch.Frequency);
        List<MarketHandle>? forget = null;
        foreach ((MarketHandle handle, Suspect suspect) in _suspects)
        {
            MarketBook book = books[handle];
            if (book.IsStale || book.Epoch != suspect.Epoch)
            {
                (forget ??= new()).Add(handle); // a fresh book is being built anyway
            }
            else if (now - suspect.Since >= graceTicks && suspect.Tickers >= MinTickers)
            {
                (forget ??= new()).Add(handle);
                Drifts++;
                drifted.Add((handle, $"book drifted: the venue's ticker says YES {Text(suspect.Ticker.YesBid)} / {Text(suspect.Ticker.YesAsk)}, the book has {Text(suspect.Bid)} / {Text(suspect.Ask)}, and {suspect.Tickers} tickers over {Grace.TotalSeconds:0.#} s have disagreed"));
            }
        }

        foreach (MarketHandle handle in forget ?? [])
        {
            _suspects.Remove(handle);
        }
    }

    private static (Price Bid, Price Ask) Top(MarketBook book) => (
        book.TryGetBestBid(Outcome.Yes, out PriceLevel bid) ? bid.Price : Price.Zero,
        book.TryGetBestAsk(Outcome.Yes, out PriceLevel ask) ? ask.Price : Price.Zero);

    private static string Text(Price price) => price.Micros == 0 ? "none" : price.ToString();

    private readonly record struct Suspect(long Since, int Epoch, int Tickers, Price Bid, Price Ask, TickerUpdate Ticker);
}
