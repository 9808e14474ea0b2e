using System.Globalization;
using System.Text.RegularExpressions;
using ArbBot.Abstractions.Discovery;

namespace ArbBot.Engine.Pairing;

/// <summary>What a market is about, for comparing two venues' markets.</summary>
public enum MarketKind
{
    /// <summary>Who wins (moneyline).</summary>
    Winner,

    /// <summary>A margin against a line (spread, handicap).</summary>
    Spread,

    /// <summary>A combined score against a line (totals, over/under).</summary>
    Total,
}

/// <summary>
/// What one listed market says, read through the alias tables: its league and teams, which
/// outcome YES and NO stand for (read from the venue's outcome labels, never from list order),
/// whether the game can end in a draw, the kind of market and its line, the game's date, and
/// what its rules say about resolution.
/// </summary>
/// <param name="Market">The market as listed.</param>
/// <param name="League">Its league, if known.</param>
/// <param name="Teams">Teams named in the title, event title and outcome labels.</param>
/// <param name="YesTeam">The team whose win YES stands for (null for a draw market or when it cannot be told).</param>
/// <param name="NoTeam">The team whose win NO stands for, when NO is exactly that team (outcomes are the two teams).</param>
/// <param name="YesIsDraw">YES stands for a draw (tie).</param>
/// <param name="ThreeWay">The game can end in a draw: a draw market in the same event, or a league with draws.</param>
/// <param name="Kind">Winner, spread or total.</param>
/// <param name="Line">The spread or total line, if any.</param>
/// <param name="Date">The game's date (US Eastern), if known.</param>
/// <param name="Sources">Web domains the rules name as the resolution source.</param>
/// <param name="FiftyFifty">The rules resolve the market 50-50 in some case (cancelled, tied, postponed).</param>
public sealed record MarketFacts(
    ListedMarket Market,
    League? League,
    IReadOnlyList<Team> Teams,
    Team? YesTeam,
    Team? NoTeam,
    bool YesIsDraw,
    bool ThreeWay,
    MarketKind Kind,
    string? Line,
    DateOnly? Date,
    IReadOnlySet<string> Sources,
    bool FiftyFifty)
{
    /// <summary>NO stands for exactly one team's win (the outcomes are the two teams, no draw possible).</summary>
    public bool TeamOutcomes => NoTeam is not null;

    // Kalshi's event tickers carry the game's date: KXNBAGAME-26NOV22LALBOS.
    private static readonly Regex s_dateCode = new(@"(?<![0-9])(\d{2})(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)(\d{2})", RegexOptions.CultureInvariant);
    private static readonly Regex s_isoDate = new(@"(\d{4})-(\d{2})-(\d{2})", RegexOptions.CultureInvariant);
    private static readonly Regex s_line = new(@"[+-]?\d+\.5\b", RegexOptions.CultureInvariant);
    private static readonly Regex s_domain = new(@"\b(?:[a-z0-9-]+\.)+(?:com|org|net|gov|io|co\.uk|tv)\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);
    private static readonly string[] s_drawWords = ["draw", "tie", "tied", "drawn"];

    /// <summary>Reads a market's facts; <paramref name="siblings"/> are the markets the venue listed with it (to see a draw market in the same event).</summary>
    public static MarketFacts Read(ListedMarket market, IReadOnlyList<ListedMarket> siblings, AliasTable aliases)
    {
        string text = $"{market.Title} {market.EventTitle}";
        League? league = aliases.LeagueOfId(market.MarketId) ?? aliases.LeagueOfId(market.EventId) ?? aliases.LeaguesIn(text).FirstOrDefault();
        IReadOnlyList<Team> teams = aliases.TeamsIn($"{text} {market.YesLabel} {market.NoLabel}", league?.Id);
        if (league is null && teams.Count > 0)
        {
            // No league named: take the one most of the teams found belong to, and read again within it.
            string best = teams.GroupBy(t => t.League).OrderByDescending(g => g.Count()).First().Key;
            league = aliases.Leagues[best];
            teams = aliases.TeamsIn($"{text} {market.YesLabel} {market.NoLabel}", best);
        }

        bool yesIsDraw;
        Team? yesTeam;
        Team? noTeam = null;
        if (IsYesNo(market.YesLabel))
        {
            // "Will Arsenal win?": YES is the team the question asks about, the first named after "will";
            // without a "will", a title naming one team only. Anything else is left to a person.
            string question = AliasTable.Normalize(market.Title);
            int will = (" " + question).IndexOf(" will ", StringComparison.Ordinal);
            string asked = will >= 0 ? question[(will + 5)..] : question;
            yesIsDraw = HasDrawWord(asked) && !asked.Contains(" win", StringComparison.Ordinal);
            IReadOnlyList<Team> named = aliases.TeamsIn(asked, league?.Id);
            yesTeam = yesIsDraw || (will < 0 && named.Count != 1) || named.Count == 0 ? null : named[0];
        }
        else
        {
            // Outcome labels name the outcome itself: a team ("Los Angeles L", "Lakers") or a draw ("Tie").
            yesIsDraw = HasDrawWord(AliasTable.Normalize(market.YesLabel));
            yesTeam = yesIsDraw ? null : FirstOrNull(aliases.TeamsIn(market.YesLabel, league?.Id));
            Team? other = FirstOrNull(aliases.TeamsIn(market.NoLabel, league?.Id));
            if (other is not null && yesTeam is not null && other != yesTeam)
            {
                noTeam = other;
            }
        }

        bool drawSibling = siblings.Any(s => s.EventId == market.EventId && s.EventId.Length > 0
            && (HasDrawWord(AliasTable.Normalize(s.YesLabel)) || (IsYesNo(s.YesLabel) && HasDrawWord(AliasTable.Normalize(s.Title)))));
        MarketKind kind = KindOf(market);
        string? line = kind == MarketKind.Winner ? null : market.Line ?? (s_line.Match(market.Title) is { Success: true } found ? found.Value : null);
        string rules = market.Rules;
        return new MarketFacts(
            market,
            league,
            teams,
            yesTeam,
            noTeam,
            yesIsDraw,
            drawSibling || league?.Draws == true,
            kind,
            line is null ? null : NormalizeLine(line),
            DateOf(market),
            s_domain.Matches(rules).Select(m => m.Value.ToLowerInvariant().Replace("www.", "", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal),
            rules.Contains("50-50", StringComparison.Ordinal) || rules.Contains("50/50", StringComparison.Ordinal));
    }

    private static bool IsYesNo(string label) => label.Equals("Yes", StringComparison.OrdinalIgnoreCase);

    private static bool HasDrawWord(string normalized) =>
        normalized.Split(' ').Any(w => s_drawWords.Contains(w));

    private static MarketKind KindOf(ListedMarket market)
    {
        switch (market.MarketType?.ToLowerInvariant())
        {
            case "moneyline" or "winner" or "match_winner":
                return MarketKind.Winner;
            case { } t when t.Contains("spread", StringComparison.Ordinal) || t.Contains("handicap", StringComparison.Ordinal):
                return MarketKind.Spread;
            case { } t when t.Contains("total", StringComparison.Ordinal) || t.Contains("over_under", StringComparison.Ordinal):
                return MarketKind.Total;
        }

        string title = " " + AliasTable.Normalize(market.Title) + " ";
        if (title.Contains(" spread ", StringComparison.Ordinal) || title.Contains(" handicap ", StringComparison.Ordinal)
            || title.Contains(" wins by ", StringComparison.Ordinal) || title.Contains(" by over ", StringComparison.Ordinal) || title.Contains(" by more than ", StringComparison.Ordinal))
        {
            return MarketKind.Spread;
        }

        if (title.Contains(" total ", StringComparison.Ordinal) || title.Contains(" o u ", StringComparison.Ordinal) || title.Contains(" over under ", StringComparison.Ordinal)
            || title.Contains(" points scored ", StringComparison.Ordinal) || title.Contains(" combined ", StringComparison.Ordinal))
        {
            return MarketKind.Total;
        }

        return MarketKind.Winner;
    }

    private static string NormalizeLine(string line) =>
        decimal.TryParse(line, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal value)
            ? Math.Abs(value).ToString("0.0##", CultureInfo.InvariantCulture)
            : line;

    /// <summary>The game's date in US Eastern time, where sports venues date their games.</summary>
    private static DateOnly? DateOf(ListedMarket market)
    {
        if (market.EventTime is { } at)
        {
            return Eastern(at);
        }

        foreach (string id in new[] { market.EventId, market.MarketId })
        {
            if (s_dateCode.Match(id.ToUpperInvariant()) is { Success: true } code
                && DateOnly.TryParseExact($"20{code.Groups[1].Value}-{code.Groups[2].Value}-{code.Groups[3].Value}", "yyyy-MMM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly fromCode))
            {
                return fromCode;
            }

            if (s_isoDate.Match(id) is { Success: true } iso && DateOnly.TryParseExact(iso.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly fromIso))
            {
                return fromIso;
            }
        }

        return market.CloseTime is { } close ? Eastern(close) : null;
    }

    private static DateOnly Eastern(DateTimeOffset at)
    {
        TimeZoneInfo? zone = s_eastern.Value;
        DateTimeOffset local = zone is null ? at.ToOffset(TimeSpan.FromHours(-5)) : TimeZoneInfo.ConvertTime(at, zone);
        return DateOnly.FromDateTime(local.DateTime);
    }

    // Without time zone data on the machine, Eastern Standard Time (UTC-5) all year: an hour off in summer.
    private static readonly Lazy<TimeZoneInfo?> s_eastern = new(() =>
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return null;
        }
    });

    private static Team? FirstOrNull(IReadOnlyList<Team> teams) => teams.Count == 0 ? null : teams[0];
}
