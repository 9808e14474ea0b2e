using ArbBot.Abstractions.Events;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Engine.Books;
using static ArbBot.Tests.Books.BookBuilder;

namespace ArbBot.Tests.Books;

public sealed class BookStoreTests
{
    private readonly BookStore _store = new();

    [Fact]
    public void New_book_is_stale_until_its_first_snapshot()
    {
        MarketHandle h = _store.Register(0, "k", "M", BookStyle.BidsOnly);
        Assert.True(_store[h].IsStale);
        Assert.Equal(ApplyResult.IgnoredStale, _store.ApplyDelta(Add(h, Outcome.Yes, "0.40", "10", 1), 0));

        Assert.Equal(ApplyResult.Applied, _store.ApplySnapshot(BidsOnly(h, 5, Levels(("0.40", "10")), []), 0));
        Assert.False(_store[h].IsStale);
        Assert.Equal(5, _store[h].Sequence);
    }

    [Fact]
    public void Kalshi_snapshot_then_deltas_give_the_expected_book_and_derived_asks()
    {
        // The orderbook_snapshot sample of docs/venues/PROTOCOLS.md 1.5, then signed deltas on its levels.
        MarketHandle h = _store.Register(0, "kalshi", "FED-23DEC-T3.00", BookStyle.BidsOnly);
        _store.ApplySnapshot(BidsOnly(h, 2, Levels(("0.0800", "300.00"), ("0.2200", "333.00")), Levels(("0.5400", "20.00"), ("0.5600", "146.00"))), 0);
        MarketBook book = _store[h];

        Assert.True(book.TryGetBestBid(Outcome.Yes, out PriceLevel yesBid));
        Assert.Equal(L("0.22", "333"), yesBid);
        Assert.True(book.TryGetBestAsk(Outcome.Yes, out PriceLevel yesAsk));
        Assert.Equal(L("0.44", "146"), yesAsk); // 1 - best NO bid 0.56
        Assert.True(book.TryGetBestAsk(Outcome.No, out PriceLevel noAsk));
        Assert.Equal(L("0.78", "333"), noAsk);  // 1 - best YES bid 0.22

        Assert.Equal(ApplyResult.Applied, _store.ApplyDelta(Add(h, Outcome.No, "0.56", "-46.00", 3), 0));
        Assert.Equal(ApplyResult.Applied, _store.ApplyDelta(Add(h, Outcome.Yes, "0.25", "7.00", 4), 0));
        Assert.Equal(ApplyResult.Applied, _store.ApplyDelta(Add(h, Outcome.Yes, "0.08", "-300.00", 5), 0));

        Assert.Equal(new[] { L("0.25", "7"), L("0.22", "333") }, Depth(book, Outcome.Yes, BookSide.Bid));
        Assert.Equal(new[] { L("0.44", "100"), L("0.46", "20") }, Depth(book, Outcome.Yes, BookSide.Ask));
        Assert.Equal(new[] { L("0.75", "7"), L("0.78", "333") }, Depth(book, Outcome.No, BookSide.Ask));
        Assert.Equal(5, book.Sequence);
        Assert.Equal(0, book.Epoch);
    }

    [Fact]
    public void Sequence_gap_starts_a_new_epoch_and_waits_for_a_snapshot()
    {
        MarketHandle h = _store.Register(0, "k", "M", BookStyle.BidsOnly);
        _store.ApplySnapshot(BidsOnly(h, 10, Levels(("0.40", "10")), Levels(("0.50", "10"))), 0);

        Assert.Equal(ApplyResult.SequenceGap, _store.ApplyDelta(Add(h, Outcome.Yes, "0.40", "1", 12), 0));
        MarketBook book = _store[h];
        Assert.True(book.IsStale);
        Assert.Equal("sequence gap", book.StaleReason);
        Assert.Equal(1, book.Epoch);
        Assert.Equal(0, book.LevelCount(Outcome.Yes, BookSide.Bid));
        Assert.Equal(ApplyResult.IgnoredStale, _store.ApplyDelta(Add(h, Outcome.Yes, "0.40", "1", 13), 0));

        _store.ApplySnapshot(BidsOnly(h, 20, Levels(("0.41", "5")), []), 0);
        Assert.False(book.IsStale);
        Assert.Equal(1, book.Epoch);
        Assert.Equal(ApplyResult.Applied, _store.ApplyDelta(Add(h, Outcome.Yes, "0.41", "1", 21), 0));
        Assert.Equal(L("0.41", "6"), book.GetLevel(Outcome.Yes, BookSide.Bid, 0));
    }

    [Fact]
    public void Connector_invalidation_starts_a_new_epoch()
    {
        MarketHandle h = _store.Register(0, "p", "M", BookStyle.TwoSided);
        _store.ApplySnapshot(TwoSided(h, Levels(("0.40", "10")), Levels(("0.45", "10")), [], []), 0);
        _store.Invalidate(h, "tick size changed");
        Assert.True(_store[h].IsStale);
        Assert.Equal(1, _store[h].Epoch);
        Assert.Equal("tick size changed", _store[h].StaleReason);
    }

    [Fact]
    public void A_level_driven_below_zero_means_we_lost_track_and_resync()
    {
        MarketHandle h = _store.Register(0, "k", "M", BookStyle.BidsOnly);
        _store.ApplySnapshot(BidsOnly(h, 1, Levels(("0.40", "10")), []), 0);
        Assert.Equal(ApplyResult.NegativeLevel, _store.ApplyDelta(Add(h, Outcome.Yes, "0.40", "-11", 2), 0));
        Assert.True(_store[h].IsStale);
        Assert.Equal(1, _store[h].Epoch);
    }

    [Fact]
    public void Polymarket_style_set_replaces_size_and_zero_removes_the_level()
    {
        MarketHandle h = _store.Register(0, "p", "M", BookStyle.TwoSided);
        _store.ApplySnapshot(TwoSided(h, Levels(("0.48", "100"), ("0.47", "50")), Levels(("0.52", "80"), ("0.53", "60")), [], []), 0);
        MarketBook book = _store[h];

        _store.ApplyDelta(Set(h, Outcome.Yes, BookSide.Bid, "0.48", "30"), 0);
        _store.ApplyDelta(Set(h, Outcome.Yes, BookSide.Ask, "0.52", "0"), 0);
        _store.ApplyDelta(Set(h, Outcome.Yes, BookSide.Ask, "0.51", "5"), 0);

        Assert.Equal(new[] { L("0.48", "30"), L("0.47", "50") }, Depth(book, Outcome.Yes, BookSide.Bid));
        Assert.Equal(new[] { L("0.51", "5"), L("0.53", "60") }, Depth(book, Outcome.Yes, BookSide.Ask));
        Assert.False(book.TryGetBestBid(Outcome.No, out _));
    }

    [Fact]
    public void A_book_per_outcome_token_is_usable_once_both_outcomes_have_one_and_each_outcome_takes_deltas_once_loaded()
    {
        MarketHandle h = _store.Register(0, "p", "M", BookStyle.TwoSided);
        MarketBook book = _store[h];
        _store.ApplySnapshot(new BookSnapshot(h, 0, 0, 0, Levels(("0.48", "100")), Levels(("0.52", "80")), [], []) { OnlyOutcome = Outcome.Yes }, 5);
        Assert.True(book.IsStale);
        Assert.Equal("waiting for the NO book", book.StaleReason);

        // YES is loaded: its deltas apply; NO has no base yet: its deltas are ignored.
        Assert.Equal(ApplyResult.Applied, _store.ApplyDelta(Set(h, Outcome.Yes, BookSide.Bid, "0.49", "10"), 6));
        Assert.Equal(ApplyResult.IgnoredStale, _store.ApplyDelta(Set(h, Outcome.No, BookSide.Bid, "0.40", "10"), 6));

        _store.ApplySnapshot(new BookSnapshot(h, 0, 0, 0, [], [], Levels(("0.47", "60")), Levels(("0.51", "70"))) { OnlyOutcome = Outcome.No }, 7);
        Assert.False(book.IsStale);
        Assert.Equal(7, book.EpochStartTimestamp);
        Assert.Equal(new[] { L("0.49", "10"), L("0.48", "100") }, Depth(book, Outcome.Yes, BookSide.Bid));
        Assert.Equal(new[] { L("0.47", "60") }, Depth(book, Outcome.No, BookSide.Bid));

        // Later one outcome's book alone replaces that outcome only; a snapshot carrying the other outcome's levels is refused.
        _store.ApplySnapshot(new BookSnapshot(h, 0, 0, 0, Levels(("0.45", "5")), Levels(("0.55", "5")), [], []) { OnlyOutcome = Outcome.Yes }, 8);
        Assert.False(book.IsStale);
        Assert.Equal(new[] { L("0.45", "5") }, Depth(book, Outcome.Yes, BookSide.Bid));
        Assert.Equal(new[] { L("0.51", "70") }, Depth(book, Outcome.No, BookSide.Ask));
        Assert.Equal(ApplyResult.Rejected, _store.ApplySnapshot(new BookSnapshot(h, 0, 0, 0, Levels(("0.45", "5")), [], Levels(("0.50", "5")), []) { OnlyOutcome = Outcome.Yes }, 9));

        // After a break both are needed again.
        _store.Invalidate(h, "tick size changed");
        _store.ApplySnapshot(new BookSnapshot(h, 0, 0, 0, [], [], Levels(("0.47", "60")), []) { OnlyOutcome = Outcome.No }, 10);
        Assert.True(book.IsStale);
        Assert.Equal("waiting for the YES book", book.StaleReason);
    }

    [Fact]
    public void Snapshot_levels_in_any_order_are_sorted_best_first()
    {
        // Polymarket sends the best level last; other sources send it first.
        MarketHandle h = _store.Register(0, "p", "M", BookStyle.TwoSided);
        _store.ApplySnapshot(TwoSided(h, Levels(("0.01", "1000"), ("0.10", "125"), ("0.05", "3")), Levels(("0.98", "5000"), ("0.14", "705")), [], []), 0);
        Assert.Equal(new[] { L("0.10", "125"), L("0.05", "3"), L("0.01", "1000") }, Depth(_store[h], Outcome.Yes, BookSide.Bid));
        Assert.Equal(new[] { L("0.14", "705"), L("0.98", "5000") }, Depth(_store[h], Outcome.Yes, BookSide.Ask));
    }

    [Fact]
    public void Crossed_book_is_kept_but_flagged_until_it_uncrosses()
    {
        MarketHandle h = _store.Register(0, "k", "M", BookStyle.BidsOnly);
        _store.ApplySnapshot(BidsOnly(h, 1, Levels(("0.55", "10")), Levels(("0.40", "10"))), 0);
        Assert.False(_store[h].IsCrossed);

        // NO bid 0.47 means a YES ask at 0.53, below the YES bid 0.55: YES bid + NO bid > $1.
        _store.ApplyDelta(Add(h, Outcome.No, "0.47", "5", 2), 0);
        Assert.True(_store[h].IsCrossed);
        Assert.True(_store[h].TryGetBestAsk(Outcome.Yes, out PriceLevel ask));
        Assert.Equal(L("0.53", "5"), ask);

        _store.ApplyDelta(Add(h, Outcome.No, "0.47", "-5", 3), 0);
        Assert.False(_store[h].IsCrossed);
    }

    [Fact]
    public void Invalid_deltas_are_rejected_without_touching_the_book()
    {
        MarketHandle h = _store.Register(0, "k", "M", BookStyle.BidsOnly);
        _store.ApplySnapshot(BidsOnly(h, 0, Levels(("0.40", "10")), []), 0);

        Assert.Equal(ApplyResult.Rejected, _store.ApplyDelta(Set(h, Outcome.Yes, BookSide.Ask, "0.45", "1"), 0)); // ask on a bids-only venue
        Assert.Equal(ApplyResult.Rejected, _store.ApplyDelta(Add(h, Outcome.Yes, "1.00", "1", 0), 0));
        Assert.Equal(ApplyResult.Rejected, _store.ApplyDelta(Add(h, Outcome.Yes, "0", "1", 0), 0));
        Assert.Equal(ApplyResult.Rejected, _store.ApplyDelta(Set(h, Outcome.Yes, BookSide.Bid, "0.40", "-1"), 0));
        Assert.Equal(ApplyResult.Rejected, _store.ApplyDelta(Add(new MarketHandle(99), Outcome.Yes, "0.40", "1", 0), 0));
        Assert.Equal(ApplyResult.Rejected, _store.ApplySnapshot(BidsOnly(h, 0, Levels(("1.20", "1")), []), 0));
        Assert.Equal(new[] { L("0.40", "10") }, Depth(_store[h], Outcome.Yes, BookSide.Bid));
    }

    [Fact]
    public void Walk_buy_prices_a_size_across_levels_and_stops_at_the_limit()
    {
        MarketHandle h = _store.Register(0, "p", "M", BookStyle.TwoSided);
        _store.ApplySnapshot(TwoSided(h, [], Levels(("0.50", "10"), ("0.51", "20"), ("0.55", "100")), [], []), 0);
        MarketBook book = _store[h];

        BookWalk twentyFive = book.WalkBuy(Outcome.Yes, Quantity.Parse("25"), Price.One);
        Assert.Equal(Quantity.Parse("25"), twentyFive.Quantity);
        Assert.Equal(Money.Parse("12.65"), twentyFive.Notional); // 10 x 0.50 + 15 x 0.51
        Assert.Equal(Price.Parse("0.51"), twentyFive.WorstPrice);
        Assert.Equal(2, twentyFive.Levels);
        Assert.Equal(Price.Parse("0.506"), twentyFive.AveragePriceRoundedUp);

        BookWalk withinLimit = book.WalkBuy(Outcome.Yes, Quantity.FromMicros(long.MaxValue), Price.Parse("0.54"));
        Assert.Equal(Quantity.Parse("30"), withinLimit.Quantity);
        Assert.Equal(Money.Parse("15.20"), withinLimit.Notional);

        BookWalk tooMuch = book.WalkBuy(Outcome.Yes, Quantity.Parse("1000"), Price.One);
        Assert.Equal(Quantity.Parse("130"), tooMuch.Quantity);
    }

    [Fact]
    public void Walk_sell_on_a_bids_only_book_uses_bids_and_buying_no_uses_mirrored_yes_bids()
    {
        MarketHandle h = _store.Register(0, "k", "M", BookStyle.BidsOnly);
        _store.ApplySnapshot(BidsOnly(h, 1, Levels(("0.40", "10"), ("0.39", "10")), []), 0);
        MarketBook book = _store[h];

        BookWalk sell = book.WalkSell(Outcome.Yes, Quantity.Parse("15"), Price.Parse("0.39"));
        Assert.Equal(Money.Parse("5.95"), sell.Notional);

        // Buying NO = hitting YES bids at 1 - price: 10 at 0.60, then 10 at 0.61.
        BookWalk buyNo = book.WalkBuy(Outcome.No, Quantity.Parse("15"), Price.One);
        Assert.Equal(Money.Parse("9.05"), buyNo.Notional);
        Assert.Equal(Price.Parse("0.61"), buyNo.WorstPrice);
    }

    [Fact]
    public void Pair_quote_adds_yes_on_one_venue_to_no_on_the_other()
    {
        MarketHandle k = _store.Register(0, "k", "K", BookStyle.BidsOnly);
        MarketHandle p = _store.Register(1, "p", "P", BookStyle.TwoSided);
        _store.ApplySnapshot(BidsOnly(k, 1, Levels(("0.45", "10")), Levels(("0.53", "10"))), 0); // YES ask 0.47, NO ask 0.55
        _store.ApplySnapshot(TwoSided(p, Levels(("0.50", "10")), Levels(("0.52", "10")), Levels(("0.46", "10")), Levels(("0.50", "10"))), 0);
        var pair = new MarketPair("E", [k, p]);

        PairQuote quote = pair.Quote(_store)!.Value;
        Assert.Equal(Price.Parse("0.97"), quote.YesAPlusNoB); // 0.47 + 0.50
        Assert.Equal(Price.Parse("1.07"), quote.YesBPlusNoA); // 0.52 + 0.55
        Assert.True(quote.HasGrossEdge);

        _store.Invalidate(p, "reconnect");
        Assert.Null(pair.Quote(_store)!.Value.YesAPlusNoB);
    }

    [Theory]
    [InlineData(BookStyle.TwoSided)]
    [InlineData(BookStyle.BidsOnly)]
    public void The_best_levels_always_agree_with_the_ladders_through_any_mix_of_changes(BookStyle style)
    {
        // The best levels are kept apart from the ladders for speed: after every kind of change
        // (snapshot, one outcome's snapshot, set, signed change, removal, negative level, gap) they must match the depth.
        MarketHandle h = _store.Register(0, "v", "M", style);
        var random = new Random(11);
        long sequence = 0;
        for (int step = 0; step < 3_000; step++)
        {
            int roll = random.Next(100);
            string price = $"0.{random.Next(1, 99):D2}";
            if (roll < 3 || _store[h].IsStale)
            {
                sequence = style == BookStyle.BidsOnly ? random.Next(1, 1_000) : 0;
                PriceLevel[] yes = RandomLevels(random), no = RandomLevels(random);
                _store.ApplySnapshot(style == BookStyle.BidsOnly ? BidsOnly(h, sequence, yes, no) : TwoSided(h, yes, RandomLevels(random), no, RandomLevels(random)), 0);
            }
            else if (roll < 5)
            {
                _store.Invalidate(h, "test");
            }
            else if (style == BookStyle.BidsOnly)
            {
                bool gap = roll < 7;
                string change = random.Next(3) == 0 ? $"-{random.Next(1, 30)}" : $"{random.Next(1, 30)}";
                _store.ApplyDelta(Add(h, (Outcome)random.Next(2), price, change, sequence += gap ? 2 : 1), 0);
            }
            else
            {
                _store.ApplyDelta(Set(h, (Outcome)random.Next(2), (BookSide)random.Next(2), price, random.Next(3) == 0 ? "0" : $"{random.Next(1, 30)}"), 0);
            }

            MarketBook book = _store[h];
            foreach (Outcome outcome in (Outcome[])[Outcome.Yes, Outcome.No])
            {
                PriceLevel[] bids = Depth(book, outcome, BookSide.Bid), asks = Depth(book, outcome, BookSide.Ask);
                Assert.Equal(bids.Length > 0, book.TryGetBestBid(outcome, out PriceLevel bid));
                Assert.Equal(bids.Length > 0 ? bids[0] : default, bid);
                Assert.Equal(asks.Length > 0, book.TryGetBestAsk(outcome, out PriceLevel ask));
                Assert.Equal(asks.Length > 0 ? asks[0] : default, ask);
            }

            bool crossed = Crossed(book, Outcome.Yes) || (style == BookStyle.TwoSided && Crossed(book, Outcome.No));
            Assert.Equal(crossed, book.IsCrossed);
        }
    }

    private static bool Crossed(MarketBook book, Outcome outcome) =>
        Depth(book, outcome, BookSide.Bid) is [var bid, ..] && Depth(book, outcome, BookSide.Ask) is [var ask, ..] && bid.Price >= ask.Price;

    private static PriceLevel[] RandomLevels(Random random) =>
        Enumerable.Range(0, random.Next(0, 6)).Select(_ => L($"0.{random.Next(1, 99):D2}", $"{random.Next(1, 50)}")).ToArray();

    private static PriceLevel[] Depth(MarketBook book, Outcome outcome, BookSide side) =>
        Enumerable.Range(0, book.LevelCount(outcome, side)).Select(i => book.GetLevel(outcome, side, i)).ToArray();
}
