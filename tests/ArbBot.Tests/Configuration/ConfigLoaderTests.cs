using ArbBot.Abstractions.FixedPoint;
using ArbBot.Engine.Configuration;

namespace ArbBot.Tests.Configuration;

public sealed class ConfigLoaderTests
{
    private const string Valid = """
        engine:
          id: test-1
          channel_capacity: 1024
        venues:
          - name: a
            plugin: ArbBot.Venues.Sim
            settings:
              style: kalshi
              market_prefix: A
          - name: b
            plugin: plugins/b.dll
        pairs:
          - event: E1
            legs:
              a: A-E01
              b: { market: B-E01, yes: B-E01-YES, no: B-E01-NO }
        strategies:
          - file: strategies/dutch_book.csx
            parameters:
              min_edge_bps: "50"
        risk:
          max_order_usd: "12.50"
          max_book_age: 2s
        redis:
          connection: localhost:6380
          key_prefix: arbtest
        """;

    [Fact]
    public void A_valid_file_loads_with_every_section()
    {
        ArbBotConfig config = ConfigLoader.Parse(Valid, "arbbot.yaml");
        Assert.Equal("test-1", config.Engine.Id);
        Assert.Equal(1024, config.Engine.ChannelCapacity);
        Assert.Equal(["a", "b"], config.Venues.Select(v => v.Name));
        Assert.Equal("kalshi", config.Venues[0].Settings["style"]);
        Assert.Equal(8, config.Venues[0].SettingLines["style"]);
        PairLegConfig leg = config.Pairs[0].Legs[1];
        Assert.Equal(("b", "B-E01", "B-E01-YES", "B-E01-NO"), (leg.Venue, leg.Market, leg.YesId, leg.NoId));
        Assert.Equal("dutch_book", config.Strategies[0].Name);
        Assert.Equal("50", config.Strategies[0].Parameters["min_edge_bps"]);
        Assert.Equal(Money.Parse("12.50"), config.Risk.MaxOrderUsd);
        Assert.Equal(TimeSpan.FromSeconds(2), config.Risk.MaxBookAge);
        Assert.True(config.Redis.Enabled);
        Assert.Equal("arbtest", config.Redis.KeyPrefix);
    }

    [Theory]
    [InlineData("engine:\n  id: x\n  chanel_capacity: 5\n", "arbbot.yaml:3: unknown key engine.chanel_capacity")]
    [InlineData("venues:\n  - name: a\n    plugin: p\n    setings: {}\n", "arbbot.yaml:4: unknown key venues[0].setings")]
    [InlineData("risk:\n  max_order_usd: abc\n", "arbbot.yaml:2: risk.max_order_usd must be a positive dollar amount (at most 6 decimals), was \"abc\"")]
    [InlineData("risk:\n  max_order_usd: \"-5\"\n", "arbbot.yaml:2: risk.max_order_usd must be a positive dollar amount")]
    [InlineData("engine:\n  channel_capacity: 3\n", "arbbot.yaml:2: engine.channel_capacity must be an integer from 16 to 16777216, was \"3\"")]
    [InlineData("engine:\n  timer_interval: soon\n", "arbbot.yaml:2: engine.timer_interval must be a positive duration")]
    [InlineData("venues:\n  - plugin: p\n", "arbbot.yaml:2: venues[0].name is required")]
    [InlineData("venues:\n  - name: a b\n    plugin: p\n", "arbbot.yaml:2: venues[0].name must use only letters")]
    [InlineData("venues:\n  - name: a\n    plugin: p\n  - name: a\n    plugin: q\n", "arbbot.yaml:4: venues[1].name \"a\" is already used")]
    [InlineData("venues:\n  - name: a\n    plugin: p\npairs:\n  - event: E\n    legs:\n      c: X\n", "arbbot.yaml:7: pairs[0].legs.c: no venue named \"c\" (configured venues: a)")]
    [InlineData("venues:\n  - name: a\n    plugin: p\npairs:\n  - event: E\n", "arbbot.yaml:5: pairs[0].legs is required")]
    [InlineData("venues:\n  - name: a\n    plugin: p\npairs:\n  - event: E\n    legs:\n      a: \"X:Y\"\n", "arbbot.yaml:7: pairs[0].legs.a \"X:Y\" contains ':'")]
    [InlineData("venues:\n  - name: a\n    plugin: p\npairs:\n  - event: E\n    legs:\n      a: \"X Y\"\n", "arbbot.yaml:7: pairs[0].legs.a \"X Y\" contains U+0020")]
    [InlineData("venues:\n  - name: a\n    plugin: p\npairs:\n  - event: E\n    legs:\n      a: { market: M, yes: \"1*\", no: \"2\" }\n", "arbbot.yaml:7: pairs[0].legs.a.yes \"1*\" contains '*'")]
    [InlineData("venues:\n  - name: a\n    plugin: p\npairs:\n  - event: \"E\\tF\"\n    legs:\n      a: M\n", "arbbot.yaml:5: pairs[0].event \"E\tF\" contains U+0009")]
    [InlineData("redis:\n  password: hunter2\n", "arbbot.yaml:2: redis.password looks like a secret")]
    [InlineData("venues:\n  - name: a\n    plugin: p\n    settings:\n      api_key: abc\n", "arbbot.yaml:5: venues[0].settings.api_key looks like a secret")]
    [InlineData("redis:\n  enabled: maybe\n", "arbbot.yaml:2: redis.enabled must be true or false, was \"maybe\"")]
    [InlineData("venues: 5\n", "arbbot.yaml:1: venues must be a list")]
    [InlineData("- a\n- b\n", "arbbot.yaml:1: the config must be a mapping")]
    [InlineData("execution:\n  mode: yolo\n", "arbbot.yaml:2: execution.mode must be paper or live, was \"yolo\"")]
    [InlineData("execution:\n  hedge_step: \"0\"\n", "arbbot.yaml:2: execution.hedge_step must be above 0")]
    [InlineData("execution:\n  hedge_retries: \"-1\"\n", "arbbot.yaml:2: execution.hedge_retries must be an integer from 0 to 100")]
    [InlineData("execution:\n  legged_grace: later\n", "arbbot.yaml:2: execution.legged_grace must be a positive duration")]
    [InlineData("execution:\n  kill: now\n", "arbbot.yaml:2: unknown key execution.kill")]
    [InlineData("alerts:\n  webhook_url: http://x\n", "arbbot.yaml:2: unknown key alerts.webhook_url")]
    [InlineData("alerts:\n  min_level: info\n", "arbbot.yaml:2: alerts.min_level must be warning or error, was \"info\"")]
    [InlineData("risk:\n  breaker_errors: \"0\"\n", "arbbot.yaml:2: risk.breaker_errors must be an integer from 1")]
    [InlineData("risk:\n  max_legged_loss_usd: free\n", "arbbot.yaml:2: risk.max_legged_loss_usd must be a positive dollar amount")]
    [InlineData("venues:\n  - name: a\n    plugin: p\n    paper_fills: magic\n", "arbbot.yaml:4: venues[0].paper_fills must be auto or book, was \"magic\"")]
    public void Bad_config_names_file_line_and_key(string yaml, string expectedStart)
    {
        ConfigException ex = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(yaml, "arbbot.yaml"));
        Assert.StartsWith(expectedStart, ex.Message);
    }

    private const string ThreePairs = "venues:\n  - name: a\n    plugin: p\npairs:\n  - event: X1\n    legs: { a: M1 }\n  - event: X2\n    legs: { a: M2 }\n  - event: X3\n    legs: { a: M3 }\n";

    [Theory]
    [InlineData("groups:\n  - event: G\n    outcomes: [X1, X9]\n", "arbbot.yaml:13: groups[0].outcomes: no pair with event \"X9\"")]
    [InlineData("groups:\n  - event: G\n    outcomes: [X1]\n", "arbbot.yaml:13: groups[0].outcomes must list 2 to 32 pairs' events, one per outcome (has 1)")]
    [InlineData("groups:\n  - event: G\n    outcomes: [X1, X1]\n", "arbbot.yaml:13: groups[0].outcomes lists \"X1\" twice")]
    [InlineData("groups:\n  - event: G\n    outcomes: [X1, X2]\n  - event: H\n    outcomes: [X2, X3]\n", "arbbot.yaml:15: groups[1].outcomes: pair \"X2\" is already an outcome of group \"G\"")]
    [InlineData("groups:\n  - event: X1\n    outcomes: [X2, X3]\n", "arbbot.yaml:12: groups[0].event \"X1\" is also a pair's event")]
    [InlineData("groups:\n  - event: G\n    outcomes: [X1, X2]\n  - event: G\n    outcomes: [X3, X1]\n", "arbbot.yaml:14: groups[1].event \"G\" is listed twice")]
    [InlineData("groups:\n  - event: G\n    outcomes: [X1, X2]\n    exhaustive: sure\n", "arbbot.yaml:14: groups[0].exhaustive must be true or false, was \"sure\"")]
    [InlineData("groups:\n  - event: G\n    outcome: [X1, X2]\n", "arbbot.yaml:12: groups[0].outcomes must list 2 to 32")]
    public void A_bad_outcome_group_names_file_line_and_key(string groups, string expectedStart)
    {
        ConfigException ex = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(ThreePairs + groups, "arbbot.yaml"));
        Assert.StartsWith(expectedStart, ex.Message);
    }

    [Fact]
    public void Outcome_groups_name_their_pairs_and_are_not_exhaustive_unless_a_person_said_so()
    {
        ArbBotConfig config = ConfigLoader.Parse(ThreePairs + "groups:\n  - event: G\n    exhaustive: true\n    outcomes: [X1, X2, X3]\n", "arbbot.yaml");
        GroupConfig group = Assert.Single(config.Groups);
        Assert.Equal(("G", true, 12L), (group.EventId, group.Exhaustive, group.Line));
        Assert.Equal(["X1", "X2", "X3"], group.Outcomes);
        Assert.False(ConfigLoader.Parse(ThreePairs + "groups:\n  - event: G\n    outcomes: [X1, X2]\n", "arbbot.yaml").Groups[0].Exhaustive);
    }

    [Fact]
    public void Execution_alerts_and_the_trading_risk_limits_are_read_with_defaults()
    {
        ArbBotConfig defaults = ConfigLoader.Parse("venues: []\n", "/etc/arbbot/arbbot.yaml");
        Assert.Equal(ExecutionMode.Paper, defaults.Execution.Mode);
        Assert.Equal("/etc/arbbot/.arbbot/arbbot.db", defaults.StateDatabasePath);
        Assert.Null(defaults.Alerts.WebhookUrlEnv);
        Assert.Equal(5, defaults.Risk.MaxConsecutiveLosses);

        ArbBotConfig config = ConfigLoader.Parse("""
            venues:
              - name: a
                plugin: p
                paper_fills: book
            risk:
              min_edge_usd: "0.02"
              max_consecutive_losses: 3
              max_legged_time: 20s
              max_legged_loss_usd: "2.5"
              min_epoch_age: 1s
              venue_orders_per_second: 7
              breaker_errors: 4
              breaker_cooldown: 1m
            execution:
              mode: live
              state_db: /var/lib/arbbot/state.db
              paper_latency: 80ms
              legged_grace: 1s
              hedge_retries: 5
              hedge_step: "0.005"
              retry_interval: 300ms
              resting_timeout: 2m
            alerts:
              webhook_url_env: HOOK
              webhook_per_minute: 3
              min_level: error
            """, "arbbot.yaml");
        Assert.Equal(PaperFills.Book, config.Venues[0].PaperFills);
        RiskLimits r = config.Risk;
        Assert.Equal((Money.Parse("0.02"), 3, TimeSpan.FromSeconds(20), Money.Parse("2.5"), TimeSpan.FromSeconds(1), 7, 4, TimeSpan.FromMinutes(1)),
            (r.MinEdgeUsd, r.MaxConsecutiveLosses, r.MaxLeggedTime, r.MaxLeggedLossUsd, r.MinEpochAge, r.VenueOrdersPerSecond, r.BreakerErrors, r.BreakerCooldown));
        ExecutionOptions e = config.Execution;
        Assert.Equal((ExecutionMode.Live, "/var/lib/arbbot/state.db", TimeSpan.FromMilliseconds(80), TimeSpan.FromSeconds(1), 5, Price.Parse("0.005"), TimeSpan.FromMilliseconds(300), TimeSpan.FromMinutes(2)),
            (e.Mode, e.StateDatabase, e.PaperLatency, e.LeggedGrace, e.HedgeRetries, e.HedgeStep, e.RetryInterval, e.RestingTimeout));
        Assert.Equal(new AlertOptions("HOOK", 3, "error"), config.Alerts);
        Assert.Equal(TimeSpan.Zero, config.Engine.IdleSpin);
        Assert.Equal(TimeSpan.FromMilliseconds(1), ConfigLoader.Parse("engine:\n  idle_spin: 1ms\n", "arbbot.yaml").Engine.IdleSpin);
    }

    [Fact]
    public void Venue_fees_and_redis_options_are_read()
    {
        ArbBotConfig config = ConfigLoader.Parse("""
            venues:
              - name: k
                plugin: p
                fees: { model: kalshi, multiplier: "2", maker_fees: true }
              - name: p
                plugin: p
                fees: { model: polymarket, rate: "0.03" }
              - name: n
                plugin: p
            redis:
              connection: 127.0.0.1:7000,ssl=false
              database: 3
              depth_levels: 0
              expiry_seconds: 5
            """, "arbbot.yaml");
        Assert.Equal("kalshi x2.00 with maker fees", config.Venues[0].Fees.Name);
        Assert.Equal("polymarket 0.03", config.Venues[1].Fees.Name);
        Assert.Equal("none", config.Venues[2].Fees.Name);
        Assert.Equal((3, 0, 5), (config.Redis.Database, config.Redis.DepthLevels, config.Redis.ExpirySeconds));
        Assert.Equal("127.0.0.1:7000,ssl=false", config.Redis.Connection);
    }

    [Theory]
    [InlineData("venues:\n  - name: k\n    plugin: p\n    fees: { model: cheap }\n", "arbbot.yaml:4: venues[0].fees.model must be kalshi, polymarket or none, was \"cheap\"")]
    [InlineData("venues:\n  - name: k\n    plugin: p\n    fees: { model: polymarket, rate: \"1.5\" }\n", "arbbot.yaml:4: venues[0].fees.rate must be a decimal from 0 to 1")]
    [InlineData("redis:\n  depth_levels: 500\n", "arbbot.yaml:2: redis.depth_levels must be an integer from 0 to 100, was \"500\"")]
    [InlineData("redis:\n  key_prefix: \"a b\"\n", "arbbot.yaml:2: redis.key_prefix must use only letters")]
    [InlineData("strategies:\n  - file: a.csx\n  - file: b/a.csx\n", "arbbot.yaml:3: strategies[1].name \"a\" is used by another strategy")]
    [InlineData("strategies:\n  - file: a.csx\n    time_budget: forever\n", "arbbot.yaml:3: strategies[0].time_budget must be a positive duration")]
    public void Bad_fee_redis_and_strategy_settings_name_their_line(string yaml, string expectedStart)
    {
        ConfigException ex = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(yaml, "arbbot.yaml"));
        Assert.StartsWith(expectedStart, ex.Message);
    }

    [Fact]
    public void Yaml_syntax_error_names_its_line()
    {
        ConfigException ex = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("engine:\n  id: x\n  bad: [unclosed\nvenues: []\n", "cfg.yaml"));
        Assert.StartsWith("cfg.yaml:", ex.Message);
        Assert.Contains("not valid YAML", ex.Message);
        Assert.InRange(ex.Line, 3, 5);
    }

    [Fact]
    public void Secret_references_by_environment_or_file_are_allowed()
    {
        ArbBotConfig config = ConfigLoader.Parse("redis:\n  password_env: REDIS_PASSWORD\n", "arbbot.yaml");
        Assert.Equal("REDIS_PASSWORD", config.Redis.PasswordEnv);
        Assert.False(ConfigLoader.Parse("venues:\n  - name: k\n    plugin: p\n    settings:\n      private_key_file: /keys/k.pem\n", "x").Venues[0].Settings.ContainsKey("private_key"));
    }

    [Fact]
    public void The_metrics_section_names_an_otlp_collector_and_how_often_to_push()
    {
        Assert.Null(ConfigLoader.Parse("engine:\n  id: x\n", "arbbot.yaml").Metrics.OtlpEndpoint);
        MetricsOptions metrics = ConfigLoader.Parse("metrics:\n  otlp_endpoint: http://127.0.0.1:4318\n  otlp_interval: 2s\n", "arbbot.yaml").Metrics;
        Assert.Equal((new Uri("http://127.0.0.1:4318"), TimeSpan.FromSeconds(2)), (metrics.OtlpEndpoint, metrics.OtlpInterval));
        Assert.StartsWith("arbbot.yaml:2: metrics.otlp_endpoint must be an http or https URL",
            Assert.Throws<ConfigException>(() => ConfigLoader.Parse("metrics:\n  otlp_endpoint: \"http://127.0.0.1:4318/?key=s3cret\"\n", "arbbot.yaml")).Message, StringComparison.Ordinal);
        Assert.StartsWith("arbbot.yaml:3: metrics.otlp_interval must be at least 100ms",
            Assert.Throws<ConfigException>(() => ConfigLoader.Parse("metrics:\n  otlp_endpoint: http://x:4318\n  otlp_interval: 10ms\n", "arbbot.yaml")).Message, StringComparison.Ordinal);
        Assert.Contains("unknown key metrics.otlp_headers", Assert.Throws<ConfigException>(() => ConfigLoader.Parse("metrics:\n  otlp_headers: x\n", "arbbot.yaml")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pair_ownership_takes_a_lease_a_role_and_needs_redis()
    {
        EngineOptions off = ConfigLoader.Parse("engine:\n  id: x\n", "arbbot.yaml").Engine;
        Assert.Equal((TimeSpan.Zero, false), (off.OwnershipLease, off.Standby));
        EngineOptions standby = ConfigLoader.Parse("engine:\n  id: x\n  ownership_lease: 3s\n  role: standby\nredis:\n  enabled: true\n", "arbbot.yaml").Engine;
        Assert.Equal((TimeSpan.FromSeconds(3), true), (standby.OwnershipLease, standby.Standby));
        Assert.StartsWith("arbbot.yaml:3: engine.ownership_lease must be at least 1s",
            Assert.Throws<ConfigException>(() => ConfigLoader.Parse("engine:\n  id: x\n  ownership_lease: 200ms\n", "arbbot.yaml")).Message, StringComparison.Ordinal);
        Assert.StartsWith("arbbot.yaml:3: engine.role: standby needs engine.ownership_lease",
            Assert.Throws<ConfigException>(() => ConfigLoader.Parse("engine:\n  id: x\n  role: standby\n", "arbbot.yaml")).Message, StringComparison.Ordinal);
        Assert.StartsWith("arbbot.yaml:3: engine.role must be active or standby, was \"spare\"",
            Assert.Throws<ConfigException>(() => ConfigLoader.Parse("engine:\n  id: x\n  role: spare\n", "arbbot.yaml")).Message, StringComparison.Ordinal);
        Assert.Contains("engine.ownership_lease needs redis.enabled",
            Assert.Throws<ConfigException>(() => ConfigLoader.Parse("engine:\n  id: x\n  ownership_lease: 3s\nredis:\n  enabled: false\n", "arbbot.yaml")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_shared_budget_section_names_the_budget_its_sizes_and_the_local_share()
    {
        Assert.Null(ConfigLoader.Parse("engine:\n  id: x\n", "arbbot.yaml").Risk.SharedBudget);
        SharedBudgetOptions budget = ConfigLoader.Parse("risk:\n  shared_budget:\n    total_usd: \"40\"\n    local_share: \"0.25\"\n", "arbbot.yaml").Risk.SharedBudget!;
        Assert.Equal(new SharedBudgetOptions("account", Money.FromCents(4_000), Money.FromCents(4_000), Price.FromMicros(250_000), Money.FromCents(1_000), TimeSpan.FromSeconds(5)), budget);
        Assert.StartsWith("arbbot.yaml:3: risk.shared_budget.total_usd is required",
            Assert.Throws<ConfigException>(() => ConfigLoader.Parse("risk:\n  shared_budget:\n    name: acct\n", "arbbot.yaml")).Message, StringComparison.Ordinal);
        Assert.StartsWith("arbbot.yaml:4: risk.shared_budget.event_usd must be above 0 and at most total_usd $40",
            Assert.Throws<ConfigException>(() => ConfigLoader.Parse("risk:\n  shared_budget:\n    total_usd: \"40\"\n    event_usd: \"41\"\n", "arbbot.yaml")).Message, StringComparison.Ordinal);
        Assert.StartsWith("arbbot.yaml:3: risk.shared_budget.name must be a word",
            Assert.Throws<ConfigException>(() => ConfigLoader.Parse("risk:\n  shared_budget:\n    name: \"a b\"\n    total_usd: \"40\"\n", "arbbot.yaml")).Message, StringComparison.Ordinal);
        Assert.StartsWith("arbbot.yaml:4: risk.shared_budget.lease must be at least 1s",
            Assert.Throws<ConfigException>(() => ConfigLoader.Parse("risk:\n  shared_budget:\n    total_usd: \"40\"\n    lease: 500ms\n", "arbbot.yaml")).Message, StringComparison.Ordinal);
        Assert.Contains("local_share", Assert.Throws<ConfigException>(() => ConfigLoader.Parse("risk:\n  shared_budget:\n    total_usd: \"40\"\n    local_share: \"1.5\"\n", "arbbot.yaml")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_shipped_default_config_is_valid()
    {
        string path = Path.Combine(RepoRoot(), "arbbot.yaml");
        ArbBotConfig config = ConfigLoader.Load(path);
        Assert.Equal(2, config.Venues.Count);
        Assert.Equal(20 + 6, config.Pairs.Count); // 20 events and the 3 outcomes of each of 2 outcome groups
        Assert.All(config.Pairs, p => Assert.Equal(2, p.Legs.Count));
        Assert.Equal(["SIM-G01", "SIM-G02"], config.Groups.Select(g => g.EventId));
        Assert.All(config.Groups, g => Assert.True(g.Exhaustive && g.Outcomes.Count == 3));
        Assert.Contains(config.Strategies, s => s.File == "strategies/basket.csx" && s.Enabled);
    }

    [Fact]
    public void A_pairs_file_adds_its_approved_pairs_only()
    {
        string dir = Path.Combine(Path.GetTempPath(), "arbbot-config-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "pairs.yaml"), """
            pairs:
              - event: OK
                status: approved
                approved_by: alice
                legs: { a: A-E02, b: { market: B-E02, yes: Y2, no: N2 } }
              - event: WAITING
                status: proposed
                legs: { a: A-E03, b: B-E03 }
              - event: NO
                status: rejected
                mismatches: ["date: differs"]
                legs: { a: A-E04, b: B-E04 }
            """);
        string config = Path.Combine(dir, "arbbot.yaml");
        File.WriteAllText(config, Valid + "\npairs_file: pairs.yaml\n");

        ArbBotConfig loaded = ConfigLoader.Load(config);
        Assert.Equal(["E1", "OK"], loaded.Pairs.Select(p => p.EventId));
        Assert.Equal(Path.Combine(dir, "pairs.yaml"), loaded.PairsFile);
        Assert.Equal(("B-E02", "Y2", "N2"), (loaded.Pairs[1].Legs[1].Market, loaded.Pairs[1].Legs[1].YesId, loaded.Pairs[1].Legs[1].NoId));
        Assert.Equal(Path.Combine(dir, "pairs.yaml"), loaded.Pairs[1].SourceFile);

        // The pairing commands read the config without it (they write it).
        Assert.Equal(["E1"], ConfigLoader.Load(config, readPairsFile: false).Pairs.Select(p => p.EventId));
    }

    [Fact]
    public void A_pairs_file_that_is_missing_or_repeats_an_event_is_an_error()
    {
        string dir = Path.Combine(Path.GetTempPath(), "arbbot-config-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        string config = Path.Combine(dir, "arbbot.yaml");
        File.WriteAllText(config, Valid + "\npairs_file: pairs.yaml\n");
        ConfigException missing = Assert.Throws<ConfigException>(() => ConfigLoader.Load(config));
        Assert.Contains("pairs_file: " + Path.Combine(dir, "pairs.yaml") + " not found (write one with arbbot markets pair)", missing.Message);

        File.WriteAllText(Path.Combine(dir, "pairs.yaml"), "pairs:\n  - event: E1\n    status: approved\n    approved_by: bob\n    legs: { a: A-E09, b: B-E09 }\n");
        ConfigException twice = Assert.Throws<ConfigException>(() => ConfigLoader.Load(config));
        Assert.StartsWith(Path.Combine(dir, "pairs.yaml") + ":2: event \"E1\" is also listed under pairs: in", twice.Message);
    }

    internal static string RepoRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "ArbBot.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("ArbBot.sln not found above " + AppContext.BaseDirectory);
    }
}
