using System.Text;
using ArbBot.Abstractions.Events;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Engine.Books;
using ArbBot.Venues.Polymarket.Parsing;

namespace ArbBot.Tests.Venues;

/// <summary>
/// The fast path for Polymarket price changes decides exactly as the general decoder: random
/// valid and broken frames go through a feed with it and one without, and every result, event
/// and book must match.
/// </summary>
public sealed class PriceChangeScannerTests
{
    private static readonly string[] Tokens =
    [
        "71321045679252212594626385532706912750332728571942532289631379312455583992563",
        "48331043336612883890938759509493159234755048973500640148014422747788308965732",
        "52114319501245915516055106046884209969926127482827954674443846427813813222426",
        "1111",
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void On_random_valid_and_broken_frames_the_fast_path_and_the_general_decoder_keep_identical_books(int seed)
    {
        var random = new Random(seed);
        var fast = new Harness(fast: true);
        var general = new Harness(fast: false);
        for (int n = 0; n < 3_000; n++)
        {
            string frame = RandomFrame(random, n);
            Assert.Equal(general.Handle(frame), fast.Handle(frame));
        }

        Assert.True(fast.Applied > 1_000, $"only {fast.Applied} frames applied: the generator should mostly make valid frames");
        Assert.Equal(general.Books(), fast.Books());
    }

    [Fact]
    public void The_venues_frames_take_the_fast_path_and_unusual_ones_do_not()
    {
        var changes = new PriceLevelChange[4];
        string usual = Frame([Change(Tokens[0], "0.51", "150.0", "BUY"), Change(Tokens[1], "0.49", "150.0", "SELL")], 0);
        Assert.True(PriceChangeScanner.TryScan(Encoding.UTF8.GetBytes(usual), changes, out int count, out long ms));
        Assert.Equal((2, 1795300000000L, OrderSide.Sell), (count, ms, changes[1].Side));
        Assert.Equal(Tokens[1], usual.Substring(changes[1].AssetStart, changes[1].AssetLength));

        Assert.False(PriceChangeScanner.TryScan(Encoding.UTF8.GetBytes(usual.Replace("\"market\"", "\"asset_id\"", StringComparison.Ordinal)), changes, out _, out _)); // a field the general decoder reads its own way
        Assert.False(PriceChangeScanner.TryScan(Encoding.UTF8.GetBytes(usual.Replace("0.51", "0\\u002e51", StringComparison.Ordinal)), changes, out _, out _)); // an escape
        Assert.False(PriceChangeScanner.TryScan(Encoding.UTF8.GetBytes("[" + usual + "]"), changes, out _, out _)); // an array of messages
        string five = Frame(Enumerable.Repeat(Change(Tokens[0], "0.51", "1", "BUY"), 5).ToArray(), 0);
        Assert.False(PriceChangeScanner.TryScan(Encoding.UTF8.GetBytes(five), changes, out _, out _)); // more changes than the buffer holds
    }

    private static string Change(string token, string price, string size, string side) =>
        $"{{\"asset_id\":\"{token}\",\"price\":\"{price}\",\"size\":\"{size}\",\"side\":\"{side}\",\"hash\":\"56621a121a47ed9333273e21c83b660cff37ae50\",\"best_bid\":\"0.49\",\"best_ask\":\"0.51\"}}";

    private static string Frame(string[] changes, int n) =>
        $"{{\"market\":\"0xdd22472e552920b8438158ea7238bfadfa4f736aa4cee91a6b86c39ead110917\",\"price_changes\":[{string.Join(",", changes)}],\"timestamp\":\"{1795300000000L + n}\",\"event_type\":\"price_change\"}}";

    private static string RandomFrame(Random random, int n)
    {
        string[] changes = new string[random.Next(12) == 0 ? random.Next(0, 20) : random.Next(1, 3)];
        for (int c = 0; c < changes.Length; c++)
        {
            var fields = new List<string>
            {
                $"\"asset_id\":\"{Tokens[random.Next(random.Next(10) == 0 ? Tokens.Length : 2)]}{(random.Next(40) == 0 ? "9" : "")}\"",
                $"\"price\":\"{(random.Next(30) == 0 ? "cheap" : $"0.{random.Next(1, 99):D2}{(random.Next(3) == 0 ? "5" : "")}")}\"",
                $"\"size\":\"{(random.Next(6) == 0 ? "0" : $"{random.Next(1, 900)}.{random.Next(10)}")}\"",
                $"\"side\":\"{(random.Next(25) == 0 ? "HOLD" : random.Next(2) == 0 ? "BUY" : "SELL")}\"",
                "\"hash\":\"56621a121a47ed9333273e21c83b660cff37ae50\"",
                $"\"best_bid\":{random.Next(8) switch { 0 => "null", 1 => "\"0\"", 2 => "0.4", _ => $"\"0.{random.Next(1, 60):D2}\"" }}",
                $"\"best_ask\":{random.Next(8) switch { 0 => "null", 1 => "\"1\"", _ => $"\"0.{random.Next(40, 99):D2}\"" }}",
            };
            switch (random.Next(10))
            {
                case 0:
                    fields = fields.OrderBy(_ => random.Next()).ToList(); // another order
                    break;
                case 1:
                    fields.RemoveAt(random.Next(fields.Count)); // a field missing
                    break;
                case 2:
                    fields.Add(fields[random.Next(fields.Count)]); // a field twice
                    break;
                case 3:
                    fields[random.Next(4)] = $"\"{(random.Next(2) == 0 ? "price" : "size")}\":{random.Next(100)}"; // a number where a string belongs
                    break;
                case 4:
                    fields.Insert(random.Next(fields.Count + 1), random.Next(2) == 0 ? "\"extra\":{\"a\":1}" : "\"fee_rate_bps\":\"0\"");
                    break;
            }

            changes[c] = "{" + string.Join(",", fields) + "}";
        }

        var top = new List<string>
        {
            "\"market\":\"0xdd22472e552920b8438158ea7238bfadfa4f736aa4cee91a6b86c39ead110917\"",
            $"\"price_changes\":[{string.Join(",", changes)}]",
            $"\"timestamp\":{(random.Next(20) == 0 ? $"{1795300000000L + n}" : $"\"{1795300000000L + n}\"")}",
            $"\"event_type\":\"{(random.Next(30) == 0 ? "book" : "price_change")}\"",
        };
        switch (random.Next(12))
        {
            case 0:
                top = top.OrderBy(_ => random.Next()).ToList();
                break;
            case 1:
                top.Add(random.Next(3) switch { 0 => "\"asset_id\":\"1111\"", 1 => "\"price\":5", _ => "\"event_type\":\"price_change\"" });
                break;
            case 2:
                top.RemoveAt(random.Next(top.Count));
                break;
        }

        string frame = random.Next(10) == 0 ? "{ " + string.Join(" , ", top) + " }" : "{" + string.Join(",", top) + "}";
        return FrameMutations.Sometimes(random, frame);
    }

    /// <summary>A feed over its own books, fed a stream; each frame's result and events as text.</summary>
    private sealed class Harness
    {
        private readonly BookStore _store = new();
        private readonly Sink _sink;
        private readonly PolymarketFeed _feed;

        public Harness(bool fast)
        {
            _sink = new Sink(_store);
            _feed = new PolymarketFeed(_sink) { UseFastPath = fast };
            MarketHandle first = _store.Register(0, "poly", "0xdd22", BookStyle.TwoSided);
            MarketHandle second = _store.Register(0, "poly", "0x5f65", BookStyle.TwoSided);
            _feed.AddMarket(first, Tokens[0], Tokens[1]);
            _feed.AddMarket(second, Tokens[2], Tokens[3]);
            foreach (string token in Tokens)
            {
                Handle($"{{\"event_type\":\"book\",\"asset_id\":\"{token}\",\"market\":\"m\",\"bids\":[{{\"price\":\"0.40\",\"size\":\"100\"}}],\"asks\":[{{\"price\":\"0.60\",\"size\":\"100\"}}],\"timestamp\":\"1\"}}");
            }
        }

        public int Applied { get; private set; }

        public string Handle(string frame)
        {
            _sink.Events.Clear();
            FrameKind kind = _feed.Handle(Encoding.UTF8.GetBytes(frame), 7, out string? problem);
            Applied += kind == FrameKind.Book ? 1 : 0;
            return $"{kind} | {problem} | unknown {_feed.UnknownTokens} | {string.Join("; ", _sink.Events)}";
        }

        public string Books() => string.Join("\n", Enumerable.Range(0, _store.Count).Select(m =>
        {
            MarketBook book = _store[new MarketHandle(m)];
            string Side(Outcome outcome, BookSide side) => string.Join(" ", Enumerable.Range(0, book.LevelCount(outcome, side)).Select(i => book.GetLevel(outcome, side, i)).Select(l => $"{l.Price}x{l.Quantity}"));
            return $"{m}: epoch {book.Epoch} stale {book.IsStale} yes [{Side(Outcome.Yes, BookSide.Bid)} / {Side(Outcome.Yes, BookSide.Ask)}] no [{Side(Outcome.No, BookSide.Bid)} / {Side(Outcome.No, BookSide.Ask)}]";
        }));
    }

    /// <summary>Applies each event to the store, and records it.</summary>
    private sealed class Sink(BookStore store) : IVenueEventSink
    {
        public List<string> Events { get; } = new();

        public void OnBookSnapshot(BookSnapshot snapshot)
        {
            Events.Add($"snapshot {snapshot.Market.Value} {snapshot.OnlyOutcome}");
            store.ApplySnapshot(snapshot, 0);
        }

        public void OnBookDelta(in BookDelta delta)
        {
            Events.Add($"delta {delta.Market.Value} {delta.Outcome} {delta.Side} {delta.Price} {delta.Quantity} {delta.Kind} {delta.VenueTimestampMs} {delta.ReceivedTimestamp} {delta.IsLastInBatch}");
            store.ApplyDelta(delta, 0);
        }

        public void OnBookInvalidated(MarketHandle market, string reason)
        {
            Events.Add($"invalidated {market.Value} {reason}");
            store.Invalidate(market, reason);
        }

        public void OnVenueStatus(VenueStatus status, string detail) => Events.Add($"status {status}");

        public void OnVenueTop(MarketHandle market, Outcome outcome, Price bestBid, Price bestAsk) => Events.Add($"top {market.Value} {outcome} {bestBid} {bestAsk}");
    }
}
