using ArbBot.Abstractions.Fees;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Engine.Pairing;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ArbBot.Engine.Configuration;

/// <summary>Loads and validates arbbot.yaml. Every problem is a <see cref="ConfigException"/> naming file, line and key.</summary>
public static class ConfigLoader
{
    private static readonly System.Buffers.SearchValues<char> s_badIdChars = System.Buffers.SearchValues.Create(" :*?[]/\\");

    /// <summary>
    /// Reads a config file. With <paramref name="readPairsFile"/> false the pairs file is named
    /// (<see cref="ArbBotConfig.PairsFile"/>) but not read: the pairing commands write it.
    /// </summary>
    public static ArbBotConfig Load(string path, bool readPairsFile = true)
    {
        if (!File.Exists(path))
        {
            throw new ConfigException(path, 0, "config file not found");
        }

        return Parse(File.ReadAllText(path), path, readPairsFile);
    }

    /// <summary>Parses config text; <paramref name="fileName"/> is used in messages and to resolve relative paths.</summary>
    public static ArbBotConfig Parse(string yaml, string fileName, bool readPairsFile = true)
    {
        var top = new YamlSection(fileName, "", LoadMapping(yaml, fileName, "the config must be a mapping with engine, venues, pairs, ... keys"));
        EngineOptions engine = ReadEngine(top.OptionalSection("engine"), fileName);
        IReadOnlyList<string> searchPaths = ReadPluginPaths(top.OptionalSection("plugins"));
        List<VenueConfig> venues = ReadVenues(top);
        List<PairConfig> pairs = ReadPairs(top, venues);
        string? pairsFile = top.OptionalString("pairs_file") is { } relative
            ? Path.GetFullPath(relative, Path.GetDirectoryName(Path.GetFullPath(fileName)) ?? ".")
            : null;
        string? groupsFile = top.OptionalString("groups_file") is { } relativeGroups
            ? Path.GetFullPath(relativeGroups, Path.GetDirectoryName(Path.GetFullPath(fileName)) ?? ".")
            : null;
        List<StrategyConfig> strategies = ReadStrategies(top);
        RiskLimits risk = ReadRisk(top.OptionalSection("risk"));
        RedisOptions redis = ReadRedis(top.OptionalSection("redis"));
        if (engine.OwnershipLease != TimeSpan.Zero && !redis.Enabled)
        {
            throw top.Error(top.Find("engine")!, "engine.ownership_lease needs redis.enabled: the pairs' leases are kept in Redis");
        }

        ExecutionOptions execution = ReadExecution(top.OptionalSection("execution"));
        AlertOptions alerts = ReadAlerts(top.OptionalSection("alerts"));
        MetricsOptions metrics = ReadMetrics(top.OptionalSection("metrics"));
        List<(GroupConfig Group, YamlSection Entry)> groups = ReadGroups(top);
        top.RejectUnknownKeys();
        if (pairsFile is not null && readPairsFile)
        {
            pairs.AddRange(ApprovedPairs(pairsFile, venues, pairs, fileName, top.Find("pairs_file")!.Start.Line));
        }

        if (readPairsFile)
        {
            CheckGroupOutcomes(groups, pairs);
        }

        List<GroupConfig> approvedGroups = groupsFile is not null && readPairsFile
            ? ApprovedGroups(groupsFile, venues, pairs, groups, fileName, top.Find("groups_file")!.Start.Line)
            : [];
        return new ArbBotConfig(fileName, engine, searchPaths, venues, pairs, strategies, risk, redis)
        {
            Execution = execution,
            Alerts = alerts,
            Metrics = metrics,
            PairsFile = pairsFile,
            GroupsFile = groupsFile,
            Groups = groups.Select(g => g.Group).Concat(approvedGroups).ToList(),
        };
    }

    /// <summary>
    /// Parses one YAML document whose top is a mapping. Bad YAML is a <see cref="ConfigException"/>
    /// naming the line; <paramref name="whatItMustBe"/> is the message when the top is not a mapping.
    /// </summary>
    internal static YamlMappingNode LoadMapping(string yaml, string fileName, string whatItMustBe)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            throw new ConfigException(fileName, ex.Start.Line, $"not valid YAML: {Innermost(ex).Message}", ex);
        }
        catch (InvalidOperationException ex)
        {
            // Some scanner failures in YamlDotNet carry no position: report where parsing last succeeded.
            throw new ConfigException(fileName, LastParsedLine(yaml), "not valid YAML: the text after this line could not be read (check brackets, quotes and indentation)", ex);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new ConfigException(fileName, 1, whatItMustBe);
        }

        return root;
    }

    /// <summary>The approved pairs of a reviewed pairs file (docs/pairing.md); an event listed in both places is an error.</summary>
    /// <summary>
    /// The approved groups of the groups file: each outcome joins the pairs (or is the same pair,
    /// legs and all, as one already there), each group the groups. A clash names the groups file and line.
    /// </summary>
    private static List<GroupConfig> ApprovedGroups(string groupsFile, List<VenueConfig> venues, List<PairConfig> pairs, List<(GroupConfig Group, YamlSection Entry)> inline, string configFile, long line)
    {
        if (!File.Exists(groupsFile))
        {
            throw new ConfigException(configFile, line, $"groups_file: {groupsFile} not found (write one with arbbot markets groups)");
        }

        var added = new List<GroupConfig>();
        foreach (ReviewedGroup reviewed in GroupsFile.Load(groupsFile, venues.Select(v => v.Name).ToList()))
        {
            if (reviewed.Status != PairStatus.Approved)
            {
                continue;
            }

            string id = reviewed.Group.EventId;
            if (inline.Any(g => g.Group.EventId == id) || pairs.Any(p => p.EventId == id))
            {
                throw new ConfigException(groupsFile, reviewed.Group.Line, $"group \"{id}\" is also an event in {configFile} (under groups:, or a pair's)");
            }

            foreach (PairConfig outcome in reviewed.Outcomes)
            {
                if (inline.FirstOrDefault(g => g.Group.Outcomes.Contains(outcome.EventId)).Group is { } other)
                {
                    throw new ConfigException(groupsFile, outcome.Line, $"outcome \"{outcome.EventId}\" is already an outcome of group \"{other.EventId}\" in {configFile}");
                }

                if (pairs.FirstOrDefault(p => p.EventId == outcome.EventId) is not { } same)
                {
                    pairs.Add(outcome);
                }
                else if (!same.Legs.Select(LegKey).Order(StringComparer.Ordinal).SequenceEqual(outcome.Legs.Select(LegKey).Order(StringComparer.Ordinal)))
                {
                    throw new ConfigException(groupsFile, outcome.Line, $"outcome \"{outcome.EventId}\" is also a pair in {(same.SourceFile.Length > 0 ? same.SourceFile : configFile)} with other legs");
                }
            }

            added.Add(reviewed.Group);
        }

        return added;

        static string LegKey(PairLegConfig l) => $"{l.Venue}:{l.Market}:{l.YesId}:{l.NoId}";
    }

    private static IEnumerable<PairConfig> ApprovedPairs(string pairsFile, List<VenueConfig> venues, List<PairConfig> inline, string configFile, long line)
    {
        if (!File.Exists(pairsFile))
        {
            throw new ConfigException(configFile, line, $"pairs_file: {pairsFile} not found (write one with arbbot markets pair)");
        }

        foreach (ReviewedPair reviewed in PairsFile.Load(pairsFile, venues.Select(v => v.Name).ToList()))
        {
            if (reviewed.Status != PairStatus.Approved)
            {
                continue;
            }

            if (inline.Any(p => p.EventId == reviewed.Pair.EventId))
            {
                throw new ConfigException(pairsFile, reviewed.Pair.Line, $"event \"{reviewed.Pair.EventId}\" is also listed under pairs: in {configFile}");
            }

            yield return reviewed.Pair;
        }
    }

    private static EngineOptions ReadEngine(YamlSection? section, string fileName)
    {
        if (section is null)
        {
            return new EngineOptions("engine-1", 16_384, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(1), ".arbbot/cache");
        }

        var options = new EngineOptions(
            section.OptionalString("id") ?? "engine-1",
            (int)section.Integer("channel_capacity", 16_384, 16, 16_777_216),
            section.Duration("timer_interval", TimeSpan.FromMilliseconds(250)),
            section.Duration("summary_interval", TimeSpan.FromSeconds(1)),
            section.OptionalString("cache_dir") ?? ".arbbot/cache")
        {
            IdleSpin = section.Find("idle_spin") is null ? TimeSpan.Zero : section.Duration("idle_spin", TimeSpan.Zero),
            DriftCheck = section.DurationOrOff("drift_check", TimeSpan.FromSeconds(5)),
            SilentAfter = section.DurationOrOff("silent_after", TimeSpan.FromSeconds(30)),
            StuckAfter = section.DurationOrOff("stuck_after", TimeSpan.FromSeconds(30)),
            StrictVenues = section.Boolean("strict_venues", false),
            OwnershipLease = section.DurationOrOff("ownership_lease", TimeSpan.Zero),
            Standby = section.OptionalString("role") switch
            {
                null or "active" => false,
                "standby" => true,
                string other => throw section.Error(section.Find("role")!, $"{section.Qualify("role")} must be active or standby, was \"{other}\""),
            },
        };
        if (options.OwnershipLease != TimeSpan.Zero && options.OwnershipLease < TimeSpan.FromSeconds(1))
        {
            throw section.Error(section.Find("ownership_lease")!, $"{section.Qualify("ownership_lease")} must be at least 1s (renewed every fifth of it; orders stop at half of it without a renewal)");
        }

        if (options.Standby && options.OwnershipLease == TimeSpan.Zero)
        {
            throw section.Error(section.Find("role")!, $"{section.Qualify("role")}: standby needs {section.Qualify("ownership_lease")} (a standby takes over the pairs whose owner's lease ran out)");
        }

        section.RejectUnknownKeys();
        return options;
    }

    private static IReadOnlyList<string> ReadPluginPaths(YamlSection? section)
    {
        if (section is null)
        {
            return [];
        }

        var paths = new List<string>();
        foreach (YamlNode node in section.Sequence("search_paths"))
        {
            paths.Add(node is YamlScalarNode { Value: { Length: > 0 } value }
                ? value
                : throw section.Error(node, $"{section.Qualify("search_paths")} entries must be folder paths"));
        }

        section.RejectUnknownKeys();
        return paths;
    }

    private static List<VenueConfig> ReadVenues(YamlSection top)
    {
        var venues = new List<VenueConfig>();
        IReadOnlyList<YamlNode> nodes = top.Sequence("venues");
        for (int i = 0; i < nodes.Count; i++)
        {
            YamlSection entry = Entry(top, "venues", i, nodes[i]);
            string name = entry.RequireString("name");
            if (!IsSimpleName(name))
            {
                throw entry.Error(entry.Find("name")!, $"{entry.Qualify("name")} must use only letters, digits, '-' and '_' (it becomes part of Redis keys), was \"{name}\"");
            }

            if (venues.Any(v => v.Name == name))
            {
                throw entry.Error(entry.Find("name")!, $"{entry.Qualify("name")} \"{name}\" is already used by another venue");
            }

            string plugin = entry.RequireString("plugin");
            var settings = new Dictionary<string, string>(StringComparer.Ordinal);
            var lines = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach ((string key, string value, long line) in entry.ScalarMap("settings"))
            {
                settings[key] = value;
                lines[key] = line;
            }

            FeeSpec fees = ReadFees(entry.OptionalSection("fees"));
            PaperFills paperFills = entry.OptionalString("paper_fills") switch
            {
                null or "auto" => PaperFills.Auto,
                "book" => PaperFills.Book,
                string other => throw entry.Error(entry.Find("paper_fills")!, $"{entry.Qualify("paper_fills")} must be auto or book, was \"{other}\""),
            };
            Money? paperBalance = entry.Find("paper_balance_usd") is null ? null : entry.Dollars("paper_balance_usd", Money.Zero);
            entry.RejectUnknownKeys();
            venues.Add(new VenueConfig(name, plugin, settings, lines, fees.Create(), entry.Line) { PaperFills = paperFills, FeeSpec = fees, PaperBalanceUsd = paperBalance });
        }

        return venues;
    }

    private static List<PairConfig> ReadPairs(YamlSection top, List<VenueConfig> venues)
    {
        var pairs = new List<PairConfig>();
        IReadOnlyList<YamlNode> nodes = top.Sequence("pairs");
        IReadOnlyList<string> venueNames = venues.Select(v => v.Name).ToList();
        for (int i = 0; i < nodes.Count; i++)
        {
            YamlSection entry = Entry(top, "pairs", i, nodes[i]);
            PairConfig pair = ReadPair(entry, venueNames, pairs);
            entry.RejectUnknownKeys();
            pairs.Add(pair);
        }

        return pairs;
    }

    /// <summary>The <c>groups:</c> entries as written; their outcomes are checked against the pairs once every pair is known.</summary>
    private static List<(GroupConfig Group, YamlSection Entry)> ReadGroups(YamlSection top)
    {
        var groups = new List<(GroupConfig, YamlSection)>();
        IReadOnlyList<YamlNode> nodes = top.Sequence("groups");
        for (int i = 0; i < nodes.Count; i++)
        {
            YamlSection entry = Entry(top, "groups", i, nodes[i]);
            string eventId = entry.RequireString("event");
            CheckId(entry, entry.Find("event")!, entry.Qualify("event"), eventId);
            if (groups.Any(g => g.Item1.EventId == eventId))
            {
                throw entry.Error(entry.Find("event")!, $"{entry.Qualify("event")} \"{eventId}\" is listed twice");
            }

            IReadOnlyList<string> outcomes = entry.StringList("outcomes");
            if (outcomes.Count is < 2 or > GroupConfig.MaxOutcomes)
            {
                throw entry.Error(entry.Find("outcomes") ?? nodes[i], $"{entry.Qualify("outcomes")} must list 2 to {GroupConfig.MaxOutcomes} pairs' events, one per outcome (has {outcomes.Count})");
            }

            if (outcomes.GroupBy(o => o, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
            {
                throw entry.Error(entry.Find("outcomes")!, $"{entry.Qualify("outcomes")} lists \"{twice.Key}\" twice");
            }

            bool exhaustive = entry.Boolean("exhaustive", false);
            entry.RejectUnknownKeys();
            groups.Add((new GroupConfig(eventId, outcomes, exhaustive, entry.Line), entry));
        }

        return groups;
    }

    /// <summary>Every outcome names a pair, a pair belongs to one group at most, and no group shares an event id with a pair.</summary>
    private static void CheckGroupOutcomes(List<(GroupConfig Group, YamlSection Entry)> groups, List<PairConfig> pairs)
    {
        var owner = new Dictionary<string, string>(StringComparer.Ordinal);
        var pairEvents = pairs.Select(p => p.EventId).ToHashSet(StringComparer.Ordinal);
        foreach ((GroupConfig group, YamlSection entry) in groups)
        {
            if (pairEvents.Contains(group.EventId))
            {
                throw entry.Error(entry.Find("event")!, $"{entry.Qualify("event")} \"{group.EventId}\" is also a pair's event; a group's event id names the whole event, its outcomes name the pairs");
            }

            foreach (string outcome in group.Outcomes)
            {
                if (!pairEvents.Contains(outcome))
                {
                    throw entry.Error(entry.Find("outcomes")!, $"{entry.Qualify("outcomes")}: no pair with event \"{outcome}\" (each outcome is a configured or approved pair)");
                }

                if (!owner.TryAdd(outcome, group.EventId))
                {
                    throw entry.Error(entry.Find("outcomes")!, $"{entry.Qualify("outcomes")}: pair \"{outcome}\" is already an outcome of group \"{owner[outcome]}\"");
                }
            }
        }
    }

    /// <summary>One pair entry's event and legs (shared by the config's <c>pairs:</c> and a pairs file); the caller rejects unknown keys.</summary>
    internal static PairConfig ReadPair(YamlSection entry, IReadOnlyList<string> venues, IReadOnlyList<PairConfig> earlier)
    {
        string eventId = entry.RequireString("event");
        CheckId(entry, entry.Find("event")!, entry.Qualify("event"), eventId);
        if (earlier.Any(p => p.EventId == eventId))
        {
            throw entry.Error(entry.Find("event")!, $"{entry.Qualify("event")} \"{eventId}\" is listed twice");
        }

        YamlSection legsSection = entry.OptionalSection("legs") ?? throw entry.Error($"{entry.Qualify("legs")} is required: one entry per venue, venue-name: {{ market: ... }}");
        var legs = new List<PairLegConfig>();
        foreach ((string venueName, YamlNode keyNode, YamlNode legNode) in legsSection.Entries())
        {
            if (!venues.Contains(venueName))
            {
                throw legsSection.Error(keyNode, $"{legsSection.Qualify(venueName)}: no venue named \"{venueName}\" (configured venues: {string.Join(", ", venues)})");
            }

            if (legNode is YamlScalarNode { Value: { Length: > 0 } marketOnly })
            {
                CheckId(legsSection, legNode, legsSection.Qualify(venueName), marketOnly);
                legs.Add(new PairLegConfig(venueName, marketOnly, null, null, legNode.Start.Line));
                continue;
            }

            if (legNode is not YamlMappingNode legMap)
            {
                throw legsSection.Error(legNode, $"{legsSection.Qualify(venueName)} must be a market id or {{ market, yes, no }}");
            }

            var leg = new YamlSection(legsSection.File, legsSection.Qualify(venueName), legMap);
            foreach (string key in new[] { "market", "yes", "no" })
            {
                if (leg.Find(key) is { } node && leg.OptionalString(key) is { } id)
                {
                    CheckId(leg, node, leg.Qualify(key), id);
                }
            }

            legs.Add(new PairLegConfig(venueName, leg.RequireString("market"), leg.OptionalString("yes"), leg.OptionalString("no"), leg.Line));
            leg.RejectUnknownKeys();
        }

        if (legs.Count == 0)
        {
            throw entry.Error($"{entry.Qualify("legs")} must name at least one configured venue");
        }

        return new PairConfig(eventId, legs, entry.Line) { SourceFile = entry.File };
    }

    /// <summary>
    /// Event, market and token ids become parts of Redis keys (':' separates them, '*' '?' '[' ']'
    /// are patterns there) and of venue request paths ('/'): such characters, white space and
    /// control characters would break key parsing and request signing, so they are refused here.
    /// </summary>
    internal static void CheckId(YamlSection section, YamlNode node, string where, string id)
    {
        int bad = id.AsSpan().IndexOfAny(s_badIdChars);
        if (bad < 0)
        {
            bad = id.AsSpan().IndexOfAnyInRange('\0', '\u001f');
        }

        if (bad < 0 && id.Any(char.IsWhiteSpace))
        {
            bad = id.IndexOf(id.First(char.IsWhiteSpace));
        }

        if (bad >= 0)
        {
            string shown = char.IsControl(id[bad]) || char.IsWhiteSpace(id[bad]) ? $"U+{(int)id[bad]:X4}" : $"'{id[bad]}'";
            throw section.Error(node, $"{where} \"{id}\" contains {shown}: ids may not contain white space, control characters or any of : * ? [ ] / \\ (they break Redis keys and venue request paths)");
        }
    }

    private static List<StrategyConfig> ReadStrategies(YamlSection top)
    {
        var strategies = new List<StrategyConfig>();
        IReadOnlyList<YamlNode> nodes = top.Sequence("strategies");
        for (int i = 0; i < nodes.Count; i++)
        {
            YamlSection entry = Entry(top, "strategies", i, nodes[i]);
            string file = entry.RequireString("file");
            string name = entry.OptionalString("name") ?? Path.GetFileNameWithoutExtension(file);
            if (!IsSimpleName(name))
            {
                throw entry.Error($"{entry.Qualify("name")} must use only letters, digits, '-' and '_', was \"{name}\"");
            }

            if (strategies.Any(s => s.Name == name))
            {
                throw entry.Error($"{entry.Qualify("name")} \"{name}\" is used by another strategy; give one of them its own name:");
            }

            bool enabled = entry.Boolean("enabled", true);
            var raw = entry.ScalarMap("parameters");
            var parameters = raw.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
            var parameterLines = raw.ToDictionary(p => p.Key, p => p.Line, StringComparer.Ordinal);
            TimeSpan budget = entry.Duration("time_budget", TimeSpan.FromMilliseconds(50));
            int maxErrors = (int)entry.Integer("max_errors", 10, 1, 1_000_000);
            TimeSpan window = entry.Duration("error_window", TimeSpan.FromMinutes(1));
            long allocationMb = entry.Integer("allocation_budget_mb", 16, 1, 65_536);
            int alertsPerMinute = (int)entry.Integer("alerts_per_minute", 10, 0, 600);
            entry.RejectUnknownKeys();
            strategies.Add(new StrategyConfig(name, file, enabled, parameters, parameterLines, budget, maxErrors, window, entry.Line)
            {
                AllocationBudgetBytes = allocationMb << 20,
                AlertsPerMinute = alertsPerMinute,
            });
        }

        return strategies;
    }

    private static FeeSpec ReadFees(YamlSection? section)
    {
        if (section is null)
        {
            return FeeSpec.None;
        }

        string model = section.RequireString("model");
        FeeSpec fees = model switch
        {
            "kalshi" => FeeSpec.None with { Model = model, Multiplier = section.Fraction("multiplier", Price.One, allowAboveOne: true), MakerFees = section.Boolean("maker_fees", false) },
            "polymarket" => FeeSpec.None with { Model = model, Rate = section.Fraction("rate", Price.Zero, allowAboveOne: false) },
            "none" => FeeSpec.None,
            _ => throw section.Error(section.Find("model")!, $"{section.Qualify("model")} must be kalshi, polymarket or none, was \"{model}\""),
        };
        section.RejectUnknownKeys();
        return fees;
    }

    private static RiskLimits ReadRisk(YamlSection? section)
    {
        var defaults = new RiskLimits(
            Money.FromCents(10_000), Money.FromCents(50_000), Money.FromCents(200_000), Money.FromCents(10_000), Money.FromCents(20_000), TimeSpan.FromSeconds(5));
        if (section is null)
        {
            return defaults;
        }

        var risk = new RiskLimits(
            section.Dollars("max_order_usd", defaults.MaxOrderUsd),
            section.Dollars("max_event_exposure_usd", defaults.MaxEventExposureUsd),
            section.Dollars("max_total_exposure_usd", defaults.MaxTotalExposureUsd),
            section.Dollars("max_unhedged_usd", defaults.MaxUnhedgedUsd),
            section.Dollars("daily_loss_usd", defaults.DailyLossUsd),
            section.Duration("max_book_age", defaults.MaxBookAge))
        {
            MinEdgeUsd = section.Dollars("min_edge_usd", defaults.MinEdgeUsd),
            MaxConsecutiveLosses = (int)section.Integer("max_consecutive_losses", defaults.MaxConsecutiveLosses, 1, 1_000_000),
            MaxLeggedTime = section.Duration("max_legged_time", defaults.MaxLeggedTime),
            MaxLeggedLossUsd = section.Dollars("max_legged_loss_usd", defaults.MaxLeggedLossUsd),
            MinEpochAge = section.Duration("min_epoch_age", defaults.MinEpochAge),
            VenueOrdersPerSecond = (int)section.Integer("venue_orders_per_second", defaults.VenueOrdersPerSecond, 1, 100_000),
            BreakerErrors = (int)section.Integer("breaker_errors", defaults.BreakerErrors, 1, 1_000_000),
            BreakerCooldown = section.Duration("breaker_cooldown", defaults.BreakerCooldown),
            SharedBudget = ReadSharedBudget(section.OptionalSection("shared_budget")),
        };
        section.RejectUnknownKeys();
        return risk;
    }

    private static SharedBudgetOptions? ReadSharedBudget(YamlSection? section)
    {
        if (section is null)
        {
            return null;
        }

        string name = section.OptionalString("name") ?? "account";
        if (name.Length == 0 || name.Any(c => char.IsWhiteSpace(c) || c is '{' or '}' or '|'))
        {
            throw section.Error(section.Find("name")!, $"{section.Qualify("name")} must be a word without spaces, braces or '|', was \"{name}\"");
        }

        if (section.Find("total_usd") is not { } totalNode)
        {
            throw section.Error($"{section.Qualify("total_usd")} is required: the most gross exposure the engines sharing the budget may hold together");
        }

        Money total = section.Dollars("total_usd", Money.Zero);
        if (total <= Money.Zero)
        {
            throw section.Error(totalNode, $"{section.Qualify("total_usd")} must be above 0, was ${total}");
        }

        Money perEvent = section.Dollars("event_usd", total);
        if (perEvent <= Money.Zero || perEvent > total)
        {
            throw section.Error(section.Find("event_usd")!, $"{section.Qualify("event_usd")} must be above 0 and at most total_usd ${total}, was ${perEvent}");
        }

        Money chunk = section.Dollars("chunk_usd", Money.FromMicros(Math.Max(perEvent.Micros / 4, 1)));
        if (chunk <= Money.Zero)
        {
            throw section.Error(section.Find("chunk_usd")!, $"{section.Qualify("chunk_usd")} must be above 0");
        }

        TimeSpan lease = section.Duration("lease", TimeSpan.FromSeconds(5));
        if (lease < TimeSpan.FromSeconds(1))
        {
            throw section.Error(section.Find("lease")!, $"{section.Qualify("lease")} must be at least 1s (an engine renews every 100 ms and gives up at half the lease)");
        }

        var options = new SharedBudgetOptions(name, total, perEvent, section.Fraction("local_share", Price.Zero, allowAboveOne: false), chunk, lease);
        section.RejectUnknownKeys();
        return options;
    }

    private static ExecutionOptions ReadExecution(YamlSection? section)
    {
        ExecutionOptions d = ExecutionOptions.Default;
        if (section is null)
        {
            return d;
        }

        ExecutionMode mode = section.OptionalString("mode") switch
        {
            null or "paper" => ExecutionMode.Paper,
            "live" => ExecutionMode.Live,
            string other => throw section.Error(section.Find("mode")!, $"{section.Qualify("mode")} must be paper or live, was \"{other}\""),
        };
        Price step = section.Fraction("hedge_step", d.HedgeStep, allowAboveOne: false);
        if (step.Micros == 0)
        {
            throw section.Error(section.Find("hedge_step")!, $"{section.Qualify("hedge_step")} must be above 0");
        }

        var options = new ExecutionOptions(
            mode,
            section.OptionalString("state_db") ?? d.StateDatabase,
            section.Duration("paper_latency", d.PaperLatency),
            section.Duration("legged_grace", d.LeggedGrace),
            (int)section.Integer("hedge_retries", d.HedgeRetries, 0, 100),
            step,
            section.Duration("retry_interval", d.RetryInterval),
            section.Duration("resting_timeout", d.RestingTimeout))
        {
            ReconcileInterval = section.DurationOrOff("reconcile_interval", d.ReconcileInterval),
        };
        section.RejectUnknownKeys();
        return options;
    }

    private static AlertOptions ReadAlerts(YamlSection? section)
    {
        AlertOptions d = AlertOptions.Default;
        if (section is null)
        {
            return d;
        }

        string level = section.OptionalString("min_level") ?? d.MinLevel;
        if (level is not ("warning" or "error"))
        {
            throw section.Error(section.Find("min_level")!, $"{section.Qualify("min_level")} must be warning or error, was \"{level}\"");
        }

        var options = new AlertOptions(
            section.OptionalString("webhook_url_env"),
            (int)section.Integer("webhook_per_minute", d.WebhookPerMinute, 1, 10_000),
            level);
        section.RejectUnknownKeys();
        return options;
    }

    private static MetricsOptions ReadMetrics(YamlSection? section)
    {
        MetricsOptions d = MetricsOptions.Default;
        if (section is null)
        {
            return d;
        }

        Uri? endpoint = null;
        if (section.OptionalString("otlp_endpoint") is { } text
            && (!Uri.TryCreate(text, UriKind.Absolute, out endpoint) || endpoint.Scheme is not ("http" or "https") || endpoint.UserInfo.Length > 0 || endpoint.Query.Length > 0))
        {
            throw section.Error(section.Find("otlp_endpoint")!, $"{section.Qualify("otlp_endpoint")} must be an http or https URL without credentials or query (a collector's OTLP/HTTP address such as http://127.0.0.1:4318; headers such as an API key go in OTEL_EXPORTER_OTLP_HEADERS), was \"{text}\"");
        }

        TimeSpan interval = section.Duration("otlp_interval", d.OtlpInterval);
        if (interval < TimeSpan.FromMilliseconds(100))
        {
            throw section.Error(section.Find("otlp_interval")!, $"{section.Qualify("otlp_interval")} must be at least 100ms, was {interval.TotalMilliseconds} ms");
        }

        section.RejectUnknownKeys();
        return new MetricsOptions(endpoint, interval);
    }

    private static RedisOptions ReadRedis(YamlSection? section)
    {
        if (section is null)
        {
            return new RedisOptions(false, "localhost:6379", 0, "arb", 30, null);
        }

        string prefix = section.OptionalString("key_prefix") ?? "arb";
        if (!IsSimpleName(prefix))
        {
            throw section.Error(section.Find("key_prefix")!, $"{section.Qualify("key_prefix")} must use only letters, digits, '-' and '_', was \"{prefix}\"");
        }

        var redis = new RedisOptions(
            section.Boolean("enabled", true),
            section.OptionalString("connection") ?? "localhost:6379",
            (int)section.Integer("database", 0, 0, 15),
            prefix,
            (int)section.Integer("expiry_seconds", 30, 1, 86_400),
            section.OptionalString("password_env"),
            (int)section.Integer("depth_levels", 10, 0, 100));
        section.RejectUnknownKeys();
        return redis;
    }

    internal static YamlSection Entry(YamlSection parent, string key, int index, YamlNode node) =>
        node is YamlMappingNode map
            ? new YamlSection(parent.File, $"{parent.Qualify(key)}[{index}]", map)
            : throw parent.Error(node, $"{parent.Qualify(key)}[{index}] must be a mapping");

    private static bool IsSimpleName(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_');

    private static long LastParsedLine(string yaml)
    {
        var parser = new Parser(new StringReader(yaml));
        long line = 1;
        try
        {
            while (parser.MoveNext())
            {
                line = parser.Current!.End.Line;
            }
        }
        catch (Exception ex) when (ex is YamlException or InvalidOperationException)
        {
            // expected: this is how we find where it stops
        }

        return line;
    }

    private static Exception Innermost(Exception ex) => ex.InnerException is null ? ex : Innermost(ex.InnerException);
}
