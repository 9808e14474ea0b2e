using System.Diagnostics;
using ArbBot.Abstractions.Events;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Engine.Books;

namespace ArbBot.Tests.Books;

/// <summary>A book that silently drifted is caught from the venue's tickers; an ordinary lag is not.</summary>
public sealed class DriftWatchTests
{
    private static readonly long Second = Stopwatch.Frequency;
    private readonly BookStore _books = new();
    private readonly MarketHandle _market;
    private readonly DriftWatch _watch = new() { Grace = TimeSpan.FromSeconds(5) };
    private readonly List<(MarketHandle Market, string Reason)> _drifted = new();

    public DriftWatchTests()
    {
        _market = _books.Register(0, "kalshi", "KX-A", BookStyle.BidsOnly);
        SetBook(yesBid: "0.47", noBid: "0.51"); // YES 0.47 / 0.49
    }

    [Fact]
    public void A_ticker_that_agrees_is_no_suspicion()
    {
        _watch.OnTicker(_books[_market], Ticker("0.47", "0.49"), 0);
        _watch.Check(_books, 60 * Second, _drifted);
        Assert.Empty(_drifted);
    }

    [Fact]
    public void Venue_tops_that_disagree_three_times_in_a_row_mean_drift_and_one_that_agrees_starts_the_count_again()
    {
        MarketBook book = _books[_market];
        Assert.Null(_watch.OnVenueTop(book, Outcome.Yes, P("0.48"), P("0.49")));
        Assert.Null(_watch.OnVenueTop(book, Outcome.Yes, P("0.48"), P("0.49")));
        Assert.Null(_watch.OnVenueTop(book, Outcome.Yes, P("0.47"), P("0.49"))); // agrees: a message out of order, not drift
        Assert.Null(_watch.OnVenueTop(book, Outcome.No, P("0.51"), Price.Zero)); // the NO side agrees; an ask not given is not compared
        Assert.Null(_watch.OnVenueTop(book, Outcome.Yes, P("0.48"), P("0.49")));
        Assert.Null(_watch.OnVenueTop(book, Outcome.Yes, P("0.48"), P("0.49")));
        Assert.Equal("book drifted: the venue's last 3 changes said YES 0.48 / 0.49, the book has 0.47 / 0.49",
            _watch.OnVenueTop(book, Outcome.Yes, P("0.48"), P("0.49")));
        Assert.Equal(1, _watch.Drifts);
        Assert.Null(_watch.OnVenueTop(book, Outcome.Yes, P("0.48"), P("0.49"))); // counted again from one

        // A stale book (a fresh one is coming) is not judged.
        _books.Invalidate(_market, "resync");
        Assert.Null(_watch.OnVenueTop(book, Outcome.Yes, P("0.48"), P("0.49")));
        Assert.Null(_watch.OnVenueTop(book, Outcome.Yes, P("0.48"), P("0.49")));
        Assert.Null(_watch.OnVenueTop(book, Outcome.Yes, P("0.48"), P("0.49")));
    }

    [Fact]
    public void Tickers_that_keep_disagreeing_for_the_grace_mean_drift()
    {
        _watch.OnTicker(_books[_market], Ticker("0.48", "0.49"), 10 * Second);
        _watch.OnTicker(_books[_market], Ticker("0.48", "0.49"), 12 * Second);
        _watch.Check(_books, 16 * Second, _drifted);
        Assert.Empty(_drifted); // two tickers are not enough, however long

        _watch.OnTicker(_books[_market], Ticker("0.48", "0.50"), 13 * Second);
        _watch.Check(_books, 14 * Second, _drifted);
        Assert.Empty(_drifted); // three, but not yet five seconds: a ticker may simply be ahead of the book

        _watch.Check(_books, 15 * Second, _drifted);
        (MarketHandle market, string reason) = Assert.Single(_drifted);
        Assert.Equal(_market, market);
        Assert.Equal("book drifted: the venue's ticker says YES 0.48 / 0.50, the book has 0.47 / 0.49, and 3 tickers over 5 s have disagreed", reason);
        Assert.Equal(1, _watch.Drifts);

        _drifted.Clear();
        _watch.Check(_books, 30 * Second, _drifted);
        Assert.Empty(_drifted); // reported once; the caller resyncs
    }

    [Fact]
    public void One_agreeing_ticker_or_a_fresh_book_clears_the_suspicion()
    {
        _watch.OnTicker(_books[_market], Ticker("0.48", "0.49"), 0);
        _watch.OnTicker(_books[_market], Ticker("0.48", "0.49"), 1 * Second);
        _watch.OnTicker(_books[_market], Ticker("0.47", "0.49"), 2 * Second); // agrees: the others were just ahead of the book
        _watch.OnTicker(_books[_market], Ticker("0.48", "0.49"), 3 * Second);
        _watch.OnTicker(_books[_market], Ticker("0.48", "0.49"), 4 * Second);
        _watch.Check(_books, 7 * Second, _drifted);
        Assert.Empty(_drifted); // counted again from 3 s

        _books.Invalidate(_market, "reconnect");
        _watch.Check(_books, 20 * Second, _drifted);
        Assert.Empty(_drifted);
    }

    [Fact]
    public void Sides_the_ticker_does_not_give_are_not_compared_and_zero_grace_turns_it_off()
    {
        for (int i = 0; i < 5; i++)
        {
            _watch.OnTicker(_books[_market], Ticker("0", "0.49"), i * Second);
        }

        _watch.Check(_books, 60 * Second, _drifted);
        Assert.Empty(_drifted);

        var off = new DriftWatch { Grace = TimeSpan.Zero };
        for (int i = 0; i < 5; i++)
        {
            off.OnTicker(_books[_market], Ticker("0.10", "0.90"), i * Second);
        }

        off.Check(_books, 600 * Second, _drifted);
        Assert.Empty(_drifted);
    }

    private void SetBook(string yesBid, string noBid) =>
        _books.ApplySnapshot(new BookSnapshot(_market, 0, 0, 0, [new(Price.Parse(yesBid), Quantity.Parse("10"))], [], [new(Price.Parse(noBid), Quantity.Parse("10"))], []), 1);

    private TickerUpdate Ticker(string bid, string ask) =>
        new(_market, Price.Parse(bid), Price.Parse(ask), Price.Zero, null, null, 0, 0);

    private static Price P(string price) => Price.Parse(price);
}
