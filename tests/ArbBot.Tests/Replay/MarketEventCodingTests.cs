using ArbBot.Abstractions.Events;
using ArbBot.Abstractions.Fees;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Engine.Storage.Recording;

namespace ArbBot.Tests.Replay;

/// <summary>What the recorder writes for a venue recorded as decoded events comes back as the same events.</summary>
public sealed class MarketEventCodingTests
{
    private static readonly MarketHandle Market = new(3);
    private readonly Dictionary<string, MarketHandle> _markets = new(StringComparer.Ordinal) { ["SIMK-E01"] = Market };

    private Dictionary<string, MarketHandle>.AlternateLookup<ReadOnlySpan<byte>> MarketsByBytes() =>
        new Dictionary<string, MarketHandle>(_markets, Utf8IdComparer.Instance).GetAlternateLookup<ReadOnlySpan<byte>>();

    [Fact]
    public void A_level_change_round_trips_through_the_compact_form_and_through_JSON()
    {
        var delta = new BookDelta(Market, Outcome.No, BookSide.Ask, Price.Parse("0.4125"), Quantity.Parse("-12.5"), DeltaKind.Add, 77, 1767225600123, 0, isLastInBatch: false);
        byte[] record = new byte[MarketDeltaBinary.FixedLength + 8];
        int length = MarketDeltaBinary.Write(record, "SIMK-E01"u8, delta);
        var sink = new CapturingSink();
        Assert.Null(MarketDeltaBinary.Apply(record.AsSpan(0, length), MarketsByBytes(), 42, sink, out bool unknown));
        Assert.False(unknown);
        Assert.Equal(Describe(delta, 42), Describe(sink.Deltas.Single(), 42));
        Assert.Equal(42, sink.Deltas.Single().ReceivedTimestamp);

        byte[] json = MarketDeltaBinary.ToJson(record.AsSpan(0, length));
        Assert.Equal("{\"delta\":{\"market\":\"SIMK-E01\",\"outcome\":\"no\",\"side\":\"ask\",\"price\":\"0.4125\",\"size\":\"-12.50\",\"kind\":\"add\",\"seq\":77,\"venue_ms\":1767225600123,\"more\":true}}", System.Text.Encoding.UTF8.GetString(json));
        Assert.Null(MarketEventJson.Apply(json, _markets, BookStyle.TwoSided, 42, sink, out _));
        Assert.Equal(Describe(delta, 42), Describe(sink.Deltas[1], 42));
    }

    [Fact]
    public void A_change_to_a_market_not_replayed_is_skipped_and_a_bad_one_is_refused()
    {
        byte[] record = new byte[MarketDeltaBinary.FixedLength + 8];
        var delta = new BookDelta(Market, Outcome.Yes, BookSide.Bid, Price.Parse("0.50"), Quantity.FromContracts(1), DeltaKind.Set, 0, 0, 0);
        int length = MarketDeltaBinary.Write(record, "SIMK-E09"u8, delta);
        var sink = new CapturingSink();
        Assert.Null(MarketDeltaBinary.Apply(record.AsSpan(0, length), MarketsByBytes(), 1, sink, out bool unknown));
        Assert.True(unknown);
        record[0] = 7;
        Assert.Equal("not a level change (bad length or flag bytes)", MarketDeltaBinary.Apply(record.AsSpan(0, length), MarketsByBytes(), 1, sink, out _));
        record[0] = 0;
        record[length - 1] = 0xFF; // no longer UTF-8
        Assert.Equal("the market id is not UTF-8", MarketDeltaBinary.Apply(record.AsSpan(0, length), MarketsByBytes(), 1, sink, out _));
        Assert.Empty(sink.Deltas);
    }

    [Theory]
    [InlineData("kalshi")]
    [InlineData("polymarket")]
    [InlineData("none")]
    public void Announced_fees_round_trip_as_the_same_model(string model)
    {
        IFeeModel fees = model switch
        {
            "kalshi" => new KalshiFeeModel(Price.Parse("0.5"), makerFees: true),
            "polymarket" => new PolymarketFeeModel(Price.Parse("0.03")),
            _ => NoFees.Instance,
        };
        byte[] json = MarketEventJson.ToBytes(w => MarketEventJson.WriteFees(w, "SIMK-E01", fees));
        var sink = new CapturingSink();
        Assert.Null(MarketEventJson.Apply(json, _markets, BookStyle.BidsOnly, 1, sink, out _));
        (MarketHandle market, IFeeModel replayed) = sink.Fees.Single();
        Assert.Equal(Market, market);
        Assert.Equal(fees.Name, replayed.Name);
        foreach (string price in new[] { "0.01", "0.37", "0.5", "0.99" })
        {
            Assert.Equal(fees.TakerFee(Price.Parse(price), Quantity.FromContracts(137)), replayed.TakerFee(Price.Parse(price), Quantity.FromContracts(137)));
            Assert.Equal(fees.MakerFee(Price.Parse(price), Quantity.FromContracts(137)), replayed.MakerFee(Price.Parse(price), Quantity.FromContracts(137)));
        }
    }

    [Fact]
    public void A_book_round_trips_whole_and_per_outcome()
    {
        var whole = new BookSnapshot(Market, 9, 1767225600000, 0,
            [new PriceLevel(Price.Parse("0.40"), Quantity.FromContracts(10))], [],
            [new PriceLevel(Price.Parse("0.55"), Quantity.Parse("2.5"))], [], Price.Parse("0.01"));
        var sink = new CapturingSink();
        Assert.Null(MarketEventJson.Apply(MarketEventJson.ToBytes(w => MarketEventJson.WriteBook(w, "SIMK-E01", whole)), _markets, BookStyle.BidsOnly, 5, sink, out _));
        BookSnapshot back = sink.Books.Single();
        Assert.Equal((9L, 1767225600000L, Price.Parse("0.01"), (Outcome?)null), (back.Sequence, back.VenueTimestampMs, back.Tick, back.OnlyOutcome));
        Assert.Equal(whole.YesBids, back.YesBids);
        Assert.Equal(whole.NoBids, back.NoBids);

        var noOnly = new BookSnapshot(Market, 0, 0, 0, [], [], [new PriceLevel(Price.Parse("0.30"), Quantity.FromContracts(4))], [new PriceLevel(Price.Parse("0.33"), Quantity.FromContracts(5))]) { OnlyOutcome = Outcome.No };
        Assert.Null(MarketEventJson.Apply(MarketEventJson.ToBytes(w => MarketEventJson.WriteBook(w, "SIMK-E01", noOnly)), _markets, BookStyle.TwoSided, 5, sink, out _));
        Assert.Equal(Outcome.No, sink.Books[1].OnlyOutcome);
        Assert.Equal(noOnly.NoAsks, sink.Books[1].NoAsks);

        // The same book on a bids-only venue: asks are refused with what to write instead.
        Assert.StartsWith("this venue's books are bids only", MarketEventJson.Apply(MarketEventJson.ToBytes(w => MarketEventJson.WriteBook(w, "SIMK-E01", noOnly)), _markets, BookStyle.BidsOnly, 5, sink, out _));
    }

    private static string Describe(in BookDelta d, long received) =>
        $"{d.Market.Value} {d.Outcome} {d.Side} {d.Price} {d.Quantity} {d.Kind} {d.Sequence} {d.VenueTimestampMs} {received} {d.IsLastInBatch}";

    [Fact]
    public void A_resolution_round_trips_and_a_bad_winner_is_refused()
    {
        var sink = new CapturingSink();
        Assert.Null(MarketEventJson.Apply(MarketEventJson.ToBytes(w => MarketEventJson.WriteResolved(w, "SIMK-E01", Outcome.No, 1_765_000_000_123)), _markets, BookStyle.BidsOnly, 1, sink, out _));
        Assert.Equal([(_markets["SIMK-E01"], Outcome.No, 1_765_000_000_123L)], sink.Resolutions);

        Assert.Equal("resolved needs winner yes or no and venue_ms, was winner \"maybe\"",
            MarketEventJson.Apply("{\"resolved\":{\"market\":\"SIMK-E01\",\"winner\":\"maybe\",\"venue_ms\":1}}"u8, _markets, BookStyle.BidsOnly, 1, sink, out _));
        Assert.Null(MarketEventJson.Apply("{\"resolved\":{\"market\":\"ELSEWHERE\",\"winner\":\"yes\",\"venue_ms\":1}}"u8, _markets, BookStyle.BidsOnly, 1, sink, out bool unknown));
        Assert.True(unknown);
        Assert.Single(sink.Resolutions);
    }

    private sealed class CapturingSink : IVenueEventSink
    {
        public List<(MarketHandle, Outcome, long)> Resolutions { get; } = new();

        public void OnMarketResolved(MarketHandle market, Outcome winner, long venueTimestampMs) => Resolutions.Add((market, winner, venueTimestampMs));

        public List<BookDelta> Deltas { get; } = new();

        public List<BookSnapshot> Books { get; } = new();

        public List<(MarketHandle, IFeeModel)> Fees { get; } = new();

        public void OnBookSnapshot(BookSnapshot snapshot) => Books.Add(snapshot);

        public void OnBookDelta(in BookDelta delta) => Deltas.Add(delta);

        public void OnBookInvalidated(MarketHandle market, string reason)
        {
        }

        public void OnVenueStatus(VenueStatus status, string detail)
        {
        }

        public void OnMarketFees(MarketHandle market, IFeeModel fees) => Fees.Add((market, fees));
    }
}
