using System.Globalization;
using System.Text;
using System.Text.Json;
using ArbBot.IntegrationTests.Support;

namespace ArbBot.IntegrationTests.Bench;

/// <summary>
/// `arbbot bench --frames FILE --venue polymarket --json` on a generated file of Polymarket market
/// messages (books, then price changes of one or two levels, some removing a level): the final
/// best bid and ask of every book it reports must be what a plain dictionary of levels, kept
/// here, ends with; and it prints the timing figures and the allocation of a second pass over books at depth.
/// </summary>
public sealed class FramesBenchTests
{
    [Fact]
    public async Task The_frames_benchmark_reports_the_books_a_separate_model_ends_with_and_its_timings()
    {
        string dir = TestPaths.NewTempDirectory("frames-bench");
        var random = new Random(11);
        var lines = new List<string>();
        var model = new Dictionary<(string Token, string Side), SortedDictionary<decimal, decimal>>();
        var tokens = new List<(string Market, string Yes, string No)>();
        for (int m = 0; m < 3; m++)
        {
            string market = $"0x{m:x64}";
            string yes = $"71321045679252212594626385532706912750332728571942532289631379{m:D3}1";
            string no = $"71321045679252212594626385532706912750332728571942532289631379{m:D3}2";
            tokens.Add((market, yes, no));
            foreach (string token in new[] { yes, no })
            {
                model[(token, "BUY")] = new SortedDictionary<decimal, decimal> { [0.40m] = 100, [0.41m] = 50 };
                model[(token, "SELL")] = new SortedDictionary<decimal, decimal> { [0.60m] = 100, [0.59m] = 25 };
                lines.Add($"{{\"event_type\":\"book\",\"market\":\"{market}\",\"asset_id\":\"{token}\",\"bids\":[{{\"price\":\"0.40\",\"size\":\"100\"}},{{\"price\":\"0.41\",\"size\":\"50\"}}],\"asks\":[{{\"price\":\"0.60\",\"size\":\"100\"}},{{\"price\":\"0.59\",\"size\":\"25\"}}],\"timestamp\":\"1795300000000\",\"hash\":\"0\"}}");
            }
        }

        for (int i = 0; i < 3_000; i++)
        {
            (string market, string yes, string no) = tokens[random.Next(tokens.Count)];
            var changes = new List<string>();
            for (int c = 0, n = random.Next(1, 3); c < n; c++)
            {
                string token = random.Next(2) == 0 ? yes : no;
                bool buy = random.Next(2) == 0;
                decimal price = buy ? 0.30m + (random.Next(20) / 100m) : 0.51m + (random.Next(20) / 100m);
                decimal size = random.Next(4) == 0 ? 0 : random.Next(1, 500);
                SortedDictionary<decimal, decimal> levels = model[(token, buy ? "BUY" : "SELL")];
                if (size == 0)
                {
                    levels.Remove(price);
                }
                else
                {
                    levels[price] = size;
                }

                changes.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{{\"asset_id\":\"{token}\",\"price\":\"{price:0.00}\",\"size\":\"{size}\",\"side\":\"{(buy ? "BUY" : "SELL")}\",\"hash\":\"0\"}}"));
            }

            lines.Add($"{{\"market\":\"{market}\",\"price_changes\":[{string.Join(",", changes)}],\"timestamp\":\"1795300000000\",\"event_type\":\"price_change\"}}");
        }

        string file = Path.Combine(dir, "frames.jsonl");
        File.WriteAllLines(file, lines);
        string output = Path.Combine(dir, "out");
        (int code, string stdout, string stderr) = await ArbBotProcess.RunAsync(TestPaths.RepoRoot, TimeSpan.FromMinutes(10), "bench", "--frames", file, "--venue", "polymarket", "--json", "--out", output);
        Assert.True(code == 0, $"{stdout}\n{stderr}");
        Assert.Matches(@"decode \+ apply median\s+\d+\.\d ns", stdout);
        Assert.Matches(@"decode \+ apply p99\s+\d+\.\d ns", stdout);
        Assert.Contains("refused by the store           0; frames the decoder rejected 0", stdout, StringComparison.Ordinal);
        Assert.Matches(@"allocated, steady\s+[\d.]+ bytes per change frame \(3,000\), [\d.]+ per other frame \(6\)", stdout); // the second pass, on books at depth
        Assert.DoesNotContain("the second pass ended with different books", stdout, StringComparison.Ordinal);

        using JsonDocument result = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "frames.json")));
        Assert.Equal(lines.Count, result.RootElement.GetProperty("frames").GetInt32());
        Assert.True(result.RootElement.GetProperty("steady_allocated_bytes_per_change_frame").GetDouble() >= 0);
        var books = result.RootElement.GetProperty("books").EnumerateArray().ToDictionary(
            b => (b.GetProperty("market").GetString()!, b.GetProperty("outcome").GetString()!), b => (b.GetProperty("bid").GetString()!, b.GetProperty("ask").GetString()!));
        Assert.Equal(tokens.Count * 2, books.Count);
        foreach ((string market, string yes, string no) in tokens)
        {
            foreach ((string outcome, string token) in new[] { ("yes", yes), ("no", no) })
            {
                (string bid, string ask) = books[(market, outcome)];
                Assert.Equal(Top(model[(token, "BUY")], best: l => l.Max()), Parse(bid));
                Assert.Equal(Top(model[(token, "SELL")], best: l => l.Min()), Parse(ask));
            }
        }
    }

    [Fact]
    public async Task On_Kalshi_frames_it_reports_each_outcomes_bid_and_the_ask_the_other_outcomes_bid_makes()
    {
        string dir = TestPaths.NewTempDirectory("frames-bench-kalshi");
        var random = new Random(12);
        var lines = new List<string>();
        var bids = new Dictionary<(string Ticker, string Side), SortedDictionary<decimal, decimal>>();
        string[] tickers = ["KXTEST-A", "KXTEST-B"];
        long seq = 0;
        foreach (string ticker in tickers)
        {
            bids[(ticker, "yes")] = new SortedDictionary<decimal, decimal> { [0.40m] = 100, [0.39m] = 100 };
            bids[(ticker, "no")] = new SortedDictionary<decimal, decimal> { [0.55m] = 100, [0.54m] = 100 };
            lines.Add($"{{\"type\":\"orderbook_snapshot\",\"sid\":1,\"seq\":{++seq},\"msg\":{{\"market_ticker\":\"{ticker}\",\"market_id\":\"x\",\"yes_dollars_fp\":[[\"0.3900\",\"100.00\"],[\"0.4000\",\"100.00\"]],\"no_dollars_fp\":[[\"0.5400\",\"100.00\"],[\"0.5500\",\"100.00\"]]}}}}");
        }

        for (int i = 0; i < 2_000; i++)
        {
            string ticker = tickers[random.Next(tickers.Length)];
            string side = random.Next(2) == 0 ? "yes" : "no";
            decimal price = (side == "yes" ? 0.30m : 0.45m) + (random.Next(12) / 100m);
            SortedDictionary<decimal, decimal> levels = bids[(ticker, side)];
            decimal held = levels.GetValueOrDefault(price);
            decimal delta = held > 0 && random.Next(3) == 0 ? -held : random.Next(1, 60);
            if (held + delta == 0)
            {
                levels.Remove(price);
            }
            else
            {
                levels[price] = held + delta;
            }

            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"{{\"type\":\"orderbook_delta\",\"sid\":1,\"seq\":{++seq},\"msg\":{{\"market_ticker\":\"{ticker}\",\"market_id\":\"x\",\"price_dollars\":\"{price:0.0000}\",\"delta_fp\":\"{delta:0.00}\",\"side\":\"{side}\",\"ts_ms\":1795300000000}}}}"));
        }

        string file = Path.Combine(dir, "frames.jsonl");
        File.WriteAllLines(file, lines);
        string output = Path.Combine(dir, "out");
        (int code, string stdout, string stderr) = await ArbBotProcess.RunAsync(TestPaths.RepoRoot, TimeSpan.FromMinutes(10), "bench", "--frames", file, "--venue", "kalshi", "--json", "--out", output);
        Assert.True(code == 0, $"{stdout}\n{stderr}");
        Assert.Contains("refused by the store           0; frames the decoder rejected 0", stdout, StringComparison.Ordinal);
        Assert.Matches(@"allocated, steady\s+[\d.]+ bytes per change frame \(2,000\), [\d.]+ per other frame \(2\)", stdout);
        Assert.DoesNotContain("the second pass ended with different books", stdout, StringComparison.Ordinal);
        using JsonDocument result = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "frames.json")));
        var books = result.RootElement.GetProperty("books").EnumerateArray().ToDictionary(
            b => (b.GetProperty("market").GetString()!, b.GetProperty("outcome").GetString()!), b => (b.GetProperty("bid").GetString()!, b.GetProperty("ask").GetString()!));
        foreach (string ticker in tickers)
        {
            foreach ((string outcome, string other) in new[] { ("yes", "no"), ("no", "yes") })
            {
                (string bid, string ask) = books[(ticker, outcome)];
                (decimal, decimal)? ownBid = Top(bids[(ticker, outcome)], best: l => l.Max());
                (decimal, decimal)? otherBid = Top(bids[(ticker, other)], best: l => l.Max());
                Assert.Equal(ownBid, Parse(bid));
                Assert.Equal(otherBid is { } o ? (1 - o.Item1, o.Item2) : null, Parse(ask)); // bids only: YES at p is NO bid at 1 - p
            }
        }
    }

    private static (decimal, decimal)? Top(SortedDictionary<decimal, decimal> levels, Func<IEnumerable<decimal>, decimal> best) =>
        levels.Count == 0 ? null : (best(levels.Keys), levels[best(levels.Keys)]);

    private static (decimal, decimal)? Parse(string level) =>
        level == "-" ? null : (decimal.Parse(level.Split(':')[0], CultureInfo.InvariantCulture), decimal.Parse(level.Split(':')[1], CultureInfo.InvariantCulture));
}
