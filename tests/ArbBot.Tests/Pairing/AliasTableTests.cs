using ArbBot.Engine.Configuration;
using ArbBot.Engine.Pairing;

namespace ArbBot.Tests.Pairing;

/// <summary>The alias tables: the shipped files are sound, and a broken user table is refused naming file and line.</summary>
public sealed class AliasTableTests
{
    private static readonly AliasTable s_shipped = AliasTable.Load([AliasTable.ShippedDirectory]);

    [Fact]
    public void The_shipped_tables_load_with_their_leagues_and_teams()
    {
        Assert.Equal(["epl", "mlb", "nba", "nfl", "nhl"], s_shipped.Leagues.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(30, s_shipped.Teams.Values.Count(t => t.League == "nba"));
        Assert.Equal(30, s_shipped.Teams.Values.Count(t => t.League == "mlb"));
        Assert.Equal(32, s_shipped.Teams.Values.Count(t => t.League == "nhl"));
        Assert.Equal(32, s_shipped.Teams.Values.Count(t => t.League == "nfl"));
        Assert.Equal(20, s_shipped.Teams.Values.Count(t => t.League == "epl"));
        Assert.True(s_shipped.Leagues["epl"].Draws);
        Assert.False(s_shipped.Leagues["nba"].Draws);
    }

    [Fact]
    public void Every_shipped_alias_names_exactly_its_own_team_within_its_league()
    {
        // Parsing already refuses an alias shared by two teams of a league; this also proves that every
        // alias, looked up on its own, finds its team and nothing else (no shorter alias shadows it).
        foreach (Team team in s_shipped.Teams.Values)
        {
            foreach (string alias in team.Aliases)
            {
                Assert.Equal([team], s_shipped.TeamsIn(alias, team.League));
            }
        }

        foreach (IGrouping<string, Team> league in s_shipped.Teams.Values.GroupBy(t => t.League))
        {
            Assert.Equal(league.Count(), league.Select(t => t.Code).Distinct().Count());
        }
    }

    [Theory]
    [InlineData("Los Angeles L at Boston Winner?", "nba", "nba/lal,nba/bos")]
    [InlineData("L.A. Clippers vs. Golden State Warriors", "nba", "nba/lac,nba/gsw")]
    [InlineData("Will Man Utd beat Man City?", "epl", "epl/mun,epl/mci")]
    [InlineData("New York G at New York J", "nfl", "nfl/nyg,nfl/nyj")]
    [InlineData("Atlético fans: Wolves vs Spurs", "epl", "epl/wol,epl/tot")]
    [InlineData("New York Y vs Chicago WS", "mlb", "mlb/nyy,mlb/cws")]
    [InlineData("St. Louis Blues at New York R", "nhl", "nhl/stl,nhl/nyr")]
    public void Titles_name_teams_by_whole_words_longest_alias_first(string title, string league, string expected)
    {
        Assert.Equal(expected.Split(','), s_shipped.TeamsIn(title, league).Select(t => t.Id));
    }

    [Fact]
    public void Without_a_league_the_same_alias_is_every_league_team_it_names()
    {
        // "Spurs" is San Antonio in the NBA and Tottenham in the Premier League: pairing picks the league first.
        Assert.Equal(["epl/tot", "nba/sas"], s_shipped.TeamsIn("Spurs", null).Select(t => t.Id).Order(StringComparer.Ordinal));
        Assert.Equal("nba", s_shipped.LeagueOfId("KXNBAGAME-26NOV22LALBOS")?.Id);
        Assert.Equal("epl", s_shipped.LeagueOfId("epl-ars-che-2026-11-22")?.Id);
        Assert.Null(s_shipped.LeagueOfId("KXBTC-25MAR15"));
    }

    [Fact]
    public void An_alias_naming_two_teams_of_a_league_is_refused_with_its_line()
    {
        const string yaml = """
            leagues:
              - { id: x, name: X League }
            teams:
              - { league: x, code: AAA, name: Alpha Rovers, aliases: [rovers] }
              - { league: x, code: BBB, name: Beta Rovers, aliases: [rovers] }
            """;
        ConfigException error = Assert.Throws<ConfigException>(() => AliasTable.Parse(("mine.yaml", yaml)));
        Assert.Equal(5, error.Line);
        Assert.Contains("mine.yaml:5: teams[1].aliases: \"rovers\" already names Alpha Rovers in league x", error.Message);
    }

    [Theory]
    [InlineData("teams:\n  - { league: nope, code: A, name: Alpha }\n", "league \"nope\" is not defined")]
    [InlineData("leagues:\n  - { id: x, name: X }\n  - { id: x, name: Y }\n", "league \"x\" is defined twice")]
    [InlineData("leagues:\n  - { id: x, name: X }\nteams:\n  - { league: x, code: A, name: Alpha }\n  - { league: x, code: a, name: Another }\n", "A is already a team of league x")]
    [InlineData("leagues:\n  - { id: x, name: X }\nteams:\n  - { league: x, code: A, name: Alpha, aliases: [\"!!\"] }\n", "has no letters or digits")]
    [InlineData("leagues:\n  - { id: x, name: X, colour: red }\n", "unknown key leagues[0].colour")]
    [InlineData("leagues:\n  - { id: X-1, name: X }\n", "must be lower-case letters")]
    public void Broken_tables_are_refused_saying_what_is_wrong(string yaml, string expected)
    {
        ConfigException error = Assert.Throws<ConfigException>(() => AliasTable.Parse(("mine.yaml", yaml)));
        Assert.Contains(expected, error.Message);
        Assert.StartsWith("mine.yaml:", error.Message);
    }

    [Fact]
    public void A_user_table_adds_teams_to_a_shipped_league()
    {
        string dir = Path.Combine(Path.GetTempPath(), "arbbot-aliases-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        string mine = Path.Combine(dir, "mine.yaml");
        File.WriteAllText(mine, "teams:\n  - { league: nba, code: SEA, name: Seattle SuperSonics, aliases: [sonics] }\n");
        AliasTable table = AliasTable.Load([AliasTable.ShippedDirectory, mine]);
        Assert.Equal(["nba/sea", "nba/por"], table.TeamsIn("Sonics at Trail Blazers", "nba").Select(t => t.Id));
    }
}
