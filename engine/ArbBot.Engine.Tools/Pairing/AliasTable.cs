using ArbBot.Engine.Configuration;
using YamlDotNet.RepresentationModel;

namespace ArbBot.Engine.Pairing;

/// <summary>A league (competition) in the alias tables.</summary>
/// <param name="Id">Short id (nba, epl), used in pair event ids.</param>
/// <param name="Name">Display name.</param>
/// <param name="Draws">Whether a game can end in a draw (three-way markets), which changes what NO means.</param>
/// <param name="Aliases">Names the league goes by in titles, normalised.</param>
/// <param name="IdPrefixes">Prefixes of venue market or event ids that belong to it (KXNBA, nba-), case-insensitive.</param>
public sealed record League(string Id, string Name, bool Draws, IReadOnlyList<string> Aliases, IReadOnlyList<string> IdPrefixes);

/// <summary>A team (or any named entity) in the alias tables.</summary>
/// <param name="Id">Unique id, league/code (nba/lal).</param>
/// <param name="League">The league's id.</param>
/// <param name="Code">Short code used in pair event ids (LAL).</param>
/// <param name="Name">Display name.</param>
/// <param name="Aliases">Every name venues use for it, normalised (the full name is one).</param>
public sealed record Team(string Id, string League, string Code, string Name, IReadOnlyList<string> Aliases);

/// <summary>
/// The alias tables: which names in a venue's title mean which team and league. Shipped as
/// YAML files under aliases/ (users add their own files); every entry is checked when loaded:
/// an alias may name one team per league only, ids and codes are unique, and each team's
/// league exists. Lookups work on normalised text (<see cref="Normalize"/>), whole words only.
/// </summary>
public sealed class AliasTable
{
    private readonly Dictionary<string, League> _leagues = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Team> _teams = new(StringComparer.Ordinal);

    // Alias -> teams using it (one per league at most); longest aliases first when searching.
    private readonly Dictionary<string, List<Team>> _byAlias = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string File, long Line)> _origins = new(StringComparer.Ordinal);
    private int _longestAliasWords = 1;

    /// <summary>Leagues by id.</summary>
    public IReadOnlyDictionary<string, League> Leagues => _leagues;

    /// <summary>Teams by id.</summary>
    public IReadOnlyDictionary<string, Team> Teams => _teams;

    /// <summary>The tables shipped beside the arbbot executable (aliases/*.yaml).</summary>
    public static string ShippedDirectory => Path.Combine(AppContext.BaseDirectory, "aliases");

    /// <summary>Loads every *.yaml file of the folders and files given, in order. Problems are <see cref="ConfigException"/>s naming file and line.</summary>
    public static AliasTable Load(IEnumerable<string> paths)
    {
        var table = new AliasTable();
        foreach (string path in paths)
        {
            IEnumerable<string> files = Directory.Exists(path)
                ? Directory.GetFiles(path, "*.yaml").Order(StringComparer.Ordinal)
                : File.Exists(path) ? [path] : throw new ConfigException(path, 0, "alias table not found");
            foreach (string file in files)
            {
                table.Add(file, File.ReadAllText(file));
            }
        }

        table.CheckTeamsHaveLeagues();
        return table;
    }

    /// <summary>Parses tables from text (tests, and the files <see cref="Load"/> reads).</summary>
    public static AliasTable Parse(params (string File, string Yaml)[] files)
    {
        var table = new AliasTable();
        foreach ((string file, string yaml) in files)
        {
            table.Add(file, yaml);
        }

        table.CheckTeamsHaveLeagues();
        return table;
    }

    /// <summary>Lower case, letters and digits only, single spaces: "St. Louis Blues!" -> "st louis blues".</summary>
    public static string Normalize(string text)
    {
        var chars = new char[text.Length];
        int n = 0;
        bool space = true;
        foreach (char c in text.Normalize(System.Text.NormalizationForm.FormD))
        {
            if (char.IsLetterOrDigit(c))
            {
                chars[n++] = char.ToLowerInvariant(c);
                space = false;
            }
            else if (System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.NonSpacingMark)
            {
                continue; // accents: "Atlético" matches "atletico"
            }
            else if (!space)
            {
                chars[n++] = ' ';
                space = true;
            }
        }

        return new string(chars, 0, n).TrimEnd();
    }

    /// <summary>The league a venue id belongs to by its prefix (KXNBAGAME-..., nba-...), or null.</summary>
    public League? LeagueOfId(string id) =>
        _leagues.Values.FirstOrDefault(l => l.IdPrefixes.Any(p => id.StartsWith(p, StringComparison.OrdinalIgnoreCase)));

    /// <summary>The leagues whose aliases appear in the text (whole words).</summary>
    public IEnumerable<League> LeaguesIn(string text)
    {
        string normalized = " " + Normalize(text) + " ";
        return _leagues.Values.Where(l => l.Aliases.Any(a => normalized.Contains(" " + a + " ", StringComparison.Ordinal)));
    }

    /// <summary>
    /// The teams named in the text, in order of appearance, longest alias first so that
    /// "los angeles c" is the Clippers and not a mention of Los Angeles. With a league, only its teams.
    /// </summary>
    public IReadOnlyList<Team> TeamsIn(string text, string? league)
    {
        string[] words = Normalize(text).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var found = new List<Team>();
        for (int i = 0; i < words.Length;)
        {
            int matched = 0;
            for (int length = Math.Min(_longestAliasWords, words.Length - i); length >= 1 && matched == 0; length--)
            {
                if (_byAlias.TryGetValue(string.Join(' ', words, i, length), out List<Team>? teams))
                {
                    List<Team> candidates = league is null ? teams : teams.Where(t => t.League == league).ToList();
                    if (candidates.Count > 0)
                    {
                        matched = length;
                        foreach (Team team in candidates.Where(t => !found.Contains(t)))
                        {
                            found.Add(team);
                        }
                    }
                }
            }

            i += Math.Max(matched, 1);
        }

        return found;
    }

    private void Add(string file, string yaml)
    {
        var top = new YamlSection(file, "", ConfigLoader.LoadMapping(yaml, file, "an alias table must be a mapping with leagues: and/or teams: lists"));
        IReadOnlyList<YamlNode> leagues = top.Sequence("leagues");
        for (int i = 0; i < leagues.Count; i++)
        {
            YamlSection entry = ConfigLoader.Entry(top, "leagues", i, leagues[i]);
            string id = Id(entry, "id");
            if (_leagues.ContainsKey(id))
            {
                throw entry.Error(entry.Find("id")!, $"{entry.Qualify("id")}: league \"{id}\" is defined twice");
            }

            string name = entry.RequireString("name");
            var league = new League(id, name, entry.Boolean("draws", false), Aliases(entry, name), entry.StringList("id_prefixes"));
            entry.RejectUnknownKeys();
            _leagues[id] = league;
        }

        IReadOnlyList<YamlNode> teams = top.Sequence("teams");
        for (int i = 0; i < teams.Count; i++)
        {
            YamlSection entry = ConfigLoader.Entry(top, "teams", i, teams[i]);
            string leagueId = Id(entry, "league");
            string code = entry.RequireString("code").ToUpperInvariant();
            string name = entry.RequireString("name");
            var team = new Team($"{leagueId}/{code.ToLowerInvariant()}", leagueId, code, name, Aliases(entry, name));
            if (_teams.ContainsKey(team.Id))
            {
                throw entry.Error(entry.Find("code")!, $"{entry.Qualify("code")}: {code} is already a team of league {leagueId}");
            }

            foreach (string alias in team.Aliases)
            {
                List<Team> users = _byAlias.TryGetValue(alias, out List<Team>? list) ? list : _byAlias[alias] = new List<Team>();
                if (users.FirstOrDefault(t => t.League == leagueId) is { } other)
                {
                    throw entry.Error(entry.Find("aliases") ?? entry.Find("name")!, $"{entry.Qualify("aliases")}: \"{alias}\" already names {other.Name} in league {leagueId}; an alias must name one team");
                }

                users.Add(team);
                _longestAliasWords = Math.Max(_longestAliasWords, alias.Count(c => c == ' ') + 1);
            }

            entry.RejectUnknownKeys();
            _teams[team.Id] = team;
            _origins[team.Id] = (file, entry.Line);
        }

        top.RejectUnknownKeys();
    }

    private void CheckTeamsHaveLeagues()
    {
        foreach (Team team in _teams.Values)
        {
            if (!_leagues.ContainsKey(team.League))
            {
                (string file, long line) = _origins[team.Id];
                throw new ConfigException(file, line, $"team {team.Name}: league \"{team.League}\" is not defined in any alias table (known: {string.Join(", ", _leagues.Keys)})");
            }
        }
    }

    private static string Id(YamlSection entry, string key)
    {
        string id = entry.RequireString(key);
        return id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_')
            ? id
            : throw entry.Error(entry.Find(key)!, $"{entry.Qualify(key)} must be lower-case letters, digits and '_', was \"{id}\"");
    }

    /// <summary>The name plus the listed aliases, normalised; an alias that normalises to nothing is an error.</summary>
    private static IReadOnlyList<string> Aliases(YamlSection entry, string name)
    {
        var aliases = new List<string>();
        foreach (string alias in entry.StringList("aliases").Prepend(name))
        {
            string normalized = Normalize(alias);
            if (normalized.Length == 0)
            {
                throw entry.Error(entry.Find("aliases") ?? entry.Find("name")!, $"{entry.Qualify("aliases")}: \"{alias}\" has no letters or digits");
            }

            if (aliases.Contains(normalized))
            {
                throw entry.Error(entry.Find("aliases") ?? entry.Find("name")!, $"{entry.Qualify("aliases")}: \"{alias}\" is listed twice for {name}");
            }

            aliases.Add(normalized);
        }

        return aliases;
    }
}
