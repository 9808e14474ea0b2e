using System.Text.Json;
using ArbBot.Abstractions.Discovery;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Pairing;
using ArbBot.Venues.Kalshi.Discovery;
using ArbBot.Venues.Polymarket.Discovery;

namespace ArbBot.Tests.Pairing;

/// <summary>
/// Pairing on the sample slate (tests/fixtures/pairing, see its SOURCES.md), read through the
/// plugins' own listing parsers: the right pairs with the right orientation, and every trap
/// rejected with its reason.
/// </summary>
public sealed class PairMatcherTests
{
    private static readonly AliasTable s_aliases = AliasTable.Load([AliasTable.ShippedDirectory]);
    private static readonly IReadOnlyList<ListedMarket> s_kalshi = KalshiSlate();
    private static readonly IReadOnlyList<ListedMarket> s_poly = PolymarketSlate();

    [Fact]
    public void The_same_games_are_paired_one_to_one_with_evidence()
    {
        IReadOnlyList<ReviewedPair> pairs = Propose(s_kalshi, s_poly);
        var proposed = pairs.Where(p => p.Status == PairStatus.Proposed).ToDictionary(p => p.Pair.EventId);
        Assert.Equal(
            ["EPL-2026-11-22-ARS-CHE-ARS", "EPL-2026-11-22-ARS-CHE-CHE", "EPL-2026-11-22-ARS-CHE-DRAW", "NBA-2026-11-22-BOS-LAL", "NBA-2026-11-22-DEN-GSW", "NBA-2026-11-22-MIA-NYK"],
            proposed.Keys.Order(StringComparer.Ordinal));
        Assert.All(proposed.Values, p => Assert.Empty(p.Mismatches));

        ReviewedPair lakers = proposed["NBA-2026-11-22-BOS-LAL"];
        Assert.Contains(lakers.Evidence, e => e.StartsWith("teams: Los Angeles Lakers, Boston Celtics named on both", StringComparison.Ordinal));
        Assert.Contains("date: 2026-11-22 on both", lakers.Evidence);
        Assert.Contains("kind: who wins, on both", lakers.Evidence);
        Assert.Contains(lakers.Flags, f => f.Contains("polymarket resolves 50-50", StringComparison.Ordinal));
        Assert.Equal(90, lakers.Score);

        // Each venue's market is used once: both Kalshi markets of a game cannot pair with the one Polymarket market.
        Assert.Equal(pairs.Count(p => p.Status == PairStatus.Proposed), proposed.Values.Select(p => Leg(p, "polymarket").Market).Distinct().Count());
        Assert.Equal(proposed.Count, proposed.Values.Select(p => Leg(p, "kalshi").Market).Distinct().Count());
    }

    [Fact]
    public void Every_proposed_pair_has_YES_standing_for_the_same_outcome_on_both_venues()
    {
        foreach (ReviewedPair pair in Propose(s_kalshi, s_poly).Where(p => p.Status == PairStatus.Proposed))
        {
            ListedMarket kalshi = s_kalshi.Single(m => m.MarketId == Leg(pair, "kalshi").Market);
            PairLegConfig poly = Leg(pair, "polymarket");
            Assert.Equal(OutcomeOfKalshiYes(kalshi), OutcomeOfPolymarketToken(poly.Market, poly.YesId!));
            Assert.NotEqual(OutcomeOfKalshiYes(kalshi), OutcomeOfPolymarketToken(poly.Market, poly.NoId!));
        }
    }

    [Fact]
    public void A_market_whose_YES_is_the_other_team_is_paired_through_the_other_token()
    {
        // Kalshi's Knicks market (YES = Knicks) against Polymarket's [Heat, Knicks]: YES must be the Knicks token, the second in the list.
        ListedMarket knicks = s_kalshi.Single(m => m.MarketId == "KXNBAGAME-26NOV22NYKMIA-NYK");
        ListedMarket heatKnicks = s_poly.Single(m => m.Title == "Knicks vs. Heat");
        ReviewedPair pair = Assert.Single(Propose([knicks], [heatKnicks]));
        Assert.Equal(PairStatus.Proposed, pair.Status);
        PairLegConfig poly = Leg(pair, "polymarket");
        Assert.Equal("Knicks", OutcomeOfPolymarketToken(poly.Market, poly.YesId!));
        Assert.Equal("Heat", OutcomeOfPolymarketToken(poly.Market, poly.NoId!));
        Assert.Equal(heatKnicks.NoId, poly.YesId); // the catalog took the first outcome (Heat) as its YES
        Assert.Contains(pair.Evidence, e => e.Contains("used as YES", StringComparison.Ordinal));
    }

    [Fact]
    public void Home_and_away_swapped_in_the_title_still_pairs_each_team_with_itself()
    {
        // Kalshi: "Golden State at Denver"; Polymarket: "Nuggets vs. Warriors". Only the Warriors market on Kalshi.
        ListedMarket warriors = s_kalshi.Single(m => m.MarketId == "KXNBAGAME-26NOV22GSWDEN-GSW");
        ListedMarket nuggetsWarriors = s_poly.Single(m => m.Title == "Nuggets vs. Warriors");
        ReviewedPair pair = Assert.Single(Propose([warriors], [nuggetsWarriors]));
        Assert.Equal(PairStatus.Proposed, pair.Status);
        PairLegConfig poly = Leg(pair, "polymarket");
        Assert.Equal("Warriors", OutcomeOfPolymarketToken(poly.Market, poly.YesId!));
    }

    [Fact]
    public void The_same_teams_on_another_date_are_rejected()
    {
        ReviewedPair pair = RejectedWith("Suns vs. Mavericks");
        Assert.Contains("date: kalshi's game is on 2026-11-22, polymarket's on 2026-11-24", pair.Mismatches);
    }

    [Fact]
    public void A_spread_is_not_paired_with_a_moneyline()
    {
        ReviewedPair pair = RejectedWith("Spread: Lakers (-4.5)");
        Assert.Contains("kind: kalshi is a winner (moneyline) market, polymarket a spread market", pair.Mismatches);
    }

    [Fact]
    public void A_two_way_market_is_not_paired_with_a_three_way_game()
    {
        // Kalshi lists Arsenal, Tie and Chelsea (a draw is NO for "Arsenal"); Polymarket's [Arsenal, Chelsea] has no draw outcome (50-50).
        ReviewedPair pair = RejectedWith("Arsenal vs. Chelsea");
        Assert.Contains(pair.Mismatches, m => m.StartsWith("draw: on kalshi the game can end in a draw (three-way", StringComparison.Ordinal));
    }

    [Fact]
    public void A_draw_market_pairs_only_with_a_draw_market()
    {
        ListedMarket tie = s_kalshi.Single(m => m.MarketId.EndsWith("-TIE", StringComparison.Ordinal));
        ListedMarket arsenalWins = s_poly.Single(m => m.Title == "Will Arsenal win on 2026-11-22?");
        ReviewedPair pair = Assert.Single(Propose([tie], [arsenalWins]));
        Assert.Equal(PairStatus.Rejected, pair.Status);
        Assert.Contains("orientation: YES is a draw on kalshi but a team's win on polymarket", pair.Mismatches);
    }

    [Fact]
    public void A_market_whose_YES_cannot_be_told_is_left_to_a_person()
    {
        ListedMarket lakers = s_kalshi.Single(m => m.MarketId == "KXNBAGAME-26NOV22LALBOS-LAL");
        ListedMarket vague = s_poly.Single(m => m.Title == "Lakers vs. Celtics") with { Title = "Lakers vs. Celtics: who covers?", YesLabel = "Yes", NoLabel = "No" };
        ReviewedPair pair = Assert.Single(Propose([lakers], [vague]));
        Assert.Equal(PairStatus.Rejected, pair.Status);
        Assert.Contains(pair.Mismatches, m => m.StartsWith("orientation: cannot tell which team YES stands for on polymarket", StringComparison.Ordinal));
    }

    [Fact]
    public void Opposite_YES_without_outcome_ids_on_either_venue_cannot_be_swapped()
    {
        // Two venues that both trade a market as YES/NO (no per-outcome ids), where YES means different teams.
        ListedMarket lakers = s_kalshi.Single(m => m.MarketId == "KXNBAGAME-26NOV22LALBOS-LAL");
        ListedMarket celtics = s_kalshi.Single(m => m.MarketId == "KXNBAGAME-26NOV22LALBOS-BOS");
        IReadOnlyList<ReviewedPair> pairs = new PairMatcher(s_aliases, PairingOptions.Default).Propose("kalshi", [lakers], "other", [celtics]);
        ReviewedPair pair = Assert.Single(pairs);
        Assert.Contains("orientation: YES = Los Angeles Lakers on kalshi but Boston Celtics on other, and neither venue has outcome ids to swap", pair.Mismatches);
    }

    [Fact]
    public void Markets_of_different_games_are_not_candidates()
    {
        ListedMarket lakers = s_kalshi.Single(m => m.MarketId == "KXNBAGAME-26NOV22LALBOS-LAL");
        ListedMarket knicksHeat = s_poly.Single(m => m.Title == "Knicks vs. Heat");
        Assert.Empty(Propose([lakers], [knicksHeat]));
    }

    private static ReviewedPair RejectedWith(string polymarketTitle) =>
        Assert.Single(Propose(s_kalshi, s_poly), p => p.Status == PairStatus.Rejected && Leg(p, "polymarket").Market == s_poly.Single(m => m.Title == polymarketTitle).MarketId);

    private static IReadOnlyList<ReviewedPair> Propose(IReadOnlyList<ListedMarket> kalshi, IReadOnlyList<ListedMarket> poly) =>
        new PairMatcher(s_aliases, PairingOptions.Default).Propose("kalshi", kalshi, "polymarket", poly);

    private static PairLegConfig Leg(ReviewedPair pair, string venue) => pair.Pair.Legs.Single(l => l.Venue == venue);

    /// <summary>What Kalshi's YES stands for, from the raw listing: the market's yes_sub_title, mapped to the Polymarket words.</summary>
    private static string OutcomeOfKalshiYes(ListedMarket market) => market.YesLabel switch
    {
        "Los Angeles L" => "Lakers",
        "Boston" => "Celtics",
        "New York" => "Knicks",
        "Miami" => "Heat",
        "Golden State" => "Warriors",
        "Denver" => "Nuggets",
        "Arsenal" => "Arsenal",
        "Chelsea" => "Chelsea",
        "Tie" => "Draw",
        string other => other,
    };

    /// <summary>The outcome a Polymarket token stands for, read from the raw Gamma data (outcomes and clobTokenIds at the same index).</summary>
    private static string? OutcomeOfPolymarketToken(string conditionId, string token)
    {
        using JsonDocument doc = JsonDocument.Parse(Fixture("polymarket_markets.json"));
        JsonElement market = doc.RootElement.EnumerateArray().Single(m => m.GetProperty("conditionId").GetString() == conditionId);
        string[] outcomes = JsonSerializer.Deserialize<string[]>(market.GetProperty("outcomes").GetString()!)!;
        string[] tokens = JsonSerializer.Deserialize<string[]>(market.GetProperty("clobTokenIds").GetString()!)!;
        string outcome = outcomes[Array.IndexOf(tokens, token)];
        if (outcome is "Yes" or "No")
        {
            // A Yes/No market: the question says what YES is ("Will Arsenal win", "end in a draw").
            string question = market.GetProperty("question").GetString()!;
            string subject = question.Contains("draw", StringComparison.Ordinal) ? "Draw" : question.Split(' ')[1];
            return outcome == "Yes" ? subject : null;
        }

        return outcome;
    }

    private static IReadOnlyList<ListedMarket> KalshiSlate()
    {
        using JsonDocument doc = JsonDocument.Parse(Fixture("kalshi_markets.json"));
        return doc.RootElement.GetProperty("markets").EnumerateArray().Select(m => KalshiCatalog.ToListed(m, "quadratic x1")).ToList();
    }

    private static IReadOnlyList<ListedMarket> PolymarketSlate()
    {
        using JsonDocument doc = JsonDocument.Parse(Fixture("polymarket_markets.json"));
        return doc.RootElement.EnumerateArray().Select(m => PolymarketCatalog.ToListed(m)!).ToList();
    }

    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "pairing", name));
}
