using System.Diagnostics;
using ArbBot.Abstractions.Events;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Abstractions.Strategies;
using ArbBot.Engine.Execution;
using ArbBot.Engine.Hosting;
using ArbBot.Engine.Kernel;
using ArbBot.Engine.Storage;
using ArbBot.IntegrationTests.Support;
using Microsoft.Data.Sqlite;

namespace ArbBot.IntegrationTests.Execution;

/// <summary>
/// A whole engine (plugin host, kernel, risk, order manager, legged policy, fill log, kill switch)
/// whose two venues are paper-filled against books the test sets exactly: the venues' plugins
/// (the sim, loaded as a DLL) do not list these markets, so nothing but the test moves them.
/// "ka" is Kalshi-style (bids only, Kalshi fees), "pb" Polymarket-style (bids and asks, 4% fee rate).
/// </summary>
internal sealed class TradingHarness : IAsyncDisposable
{
    private const string Template = """
        engine:
          id: trade-test
          timer_interval: 20ms
        venues:
          - name: ka
            plugin: ArbBot.Venues.Sim
            paper_fills: book
            settings: { style: kalshi, market_prefix: SIMA, events: "1", updates_per_second: "1" }
            fees: { model: kalshi, multiplier: "1" }
          - name: pb
            plugin: ArbBot.Venues.Sim
            paper_fills: book
            settings: { style: polymarket, market_prefix: SIMB, events: "1", updates_per_second: "1" }
            fees: { model: polymarket, rate: "0.04" }
            {pb_balance}
        pairs:
        {pairs}
        {groups}
        risk:
          max_order_usd: "{max_order}"
          max_event_exposure_usd: "{max_event}"
          max_total_exposure_usd: "{max_total}"
          max_unhedged_usd: "{max_unhedged}"
          daily_loss_usd: "{daily_loss}"
          max_book_age: {max_book_age}
          min_edge_usd: "0.01"
          min_epoch_age: {min_epoch_age}
          max_legged_loss_usd: "{max_legged_loss}"
          max_legged_time: 10s
          max_consecutive_losses: {max_losses}
          venue_orders_per_second: {rate}
          breaker_errors: 3
          breaker_cooldown: 2s
        execution:
          state_db: state.db
          paper_latency: {latency}
          legged_grace: {grace}
          hedge_retries: 3
          hedge_step: "0.01"
          retry_interval: 50ms
          resting_timeout: 30s
        redis:
          enabled: {redis}
          connection: "{redis_connection}"
          key_prefix: arbtest
        """;

    private TradingHarness(EngineHost host, string directory)
    {
        Host = host;
        Directory = directory;
    }

    public EngineHost Host { get; }

    public string Directory { get; }

    public string DatabasePath => Path.Combine(Directory, "state.db");

    public OrderManager Orders => Host.Orders;

    public ExecutionEngine Execution => Host.Execution;

    /// <summary>Settings that tests change; the defaults are roomy.</summary>
    public sealed record Settings
    {
        public string MaxOrder { get; init; } = "1000";
        public string MaxEvent { get; init; } = "5000";
        public string MaxTotal { get; init; } = "10000";
        public string MaxUnhedged { get; init; } = "1000";
        public string DailyLoss { get; init; } = "1000";
        public string MaxBookAge { get; init; } = "30s";
        public string MinEpochAge { get; init; } = "1ms";
        public string MaxLeggedLoss { get; init; } = "10";
        public int MaxLosses { get; init; } = 100;
        public int Rate { get; init; } = 1000;
        public string Latency { get; init; } = "10ms";
        public string Grace { get; init; } = "100ms";
        public string? RedisConnection { get; init; }

        public string? PbBalance { get; init; }

        /// <summary>Pairs EV1, EV2, ... each on both venues.</summary>
        public int Events { get; init; } = 2;

        /// <summary>A <c>groups:</c> section, if any.</summary>
        public string? Groups { get; init; }
    }

    public static async Task<TradingHarness> StartAsync(Settings? settings = null, string? directory = null)
    {
        settings ??= new Settings();
        directory ??= TestPaths.NewTempDirectory("trading");
        string yaml = Template
            .Replace("{max_order}", settings.MaxOrder)
            .Replace("{max_event}", settings.MaxEvent)
            .Replace("{max_total}", settings.MaxTotal)
            .Replace("{max_unhedged}", settings.MaxUnhedged)
            .Replace("{daily_loss}", settings.DailyLoss)
            .Replace("{max_book_age}", settings.MaxBookAge)
            .Replace("{min_epoch_age}", settings.MinEpochAge)
            .Replace("{max_legged_loss}", settings.MaxLeggedLoss)
            .Replace("{max_losses}", settings.MaxLosses.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Replace("{rate}", settings.Rate.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Replace("{latency}", settings.Latency)
            .Replace("{grace}", settings.Grace)
            .Replace("{redis}", settings.RedisConnection is null ? "false" : "true")
            .Replace("{redis_connection}", settings.RedisConnection ?? "localhost:1")
            .Replace("{pairs}", string.Join("\n", Enumerable.Range(1, settings.Events).Select(e =>
                $"  - event: EV{e}\n    legs: {{ ka: KA-EV{e}, pb: {{ market: PB-EV{e}, yes: PB-EV{e}-YES, no: PB-EV{e}-NO }} }}")))
            .Replace("{groups}", settings.Groups ?? "")
            .Replace("{pb_balance}", settings.PbBalance is null ? "" : $"paper_balance_usd: \"{settings.PbBalance}\"");
        EngineHost host = EngineFixture.Create(yaml, directory);
        await host.StartAsync(CancellationToken.None);
        return new TradingHarness(host, directory);
    }

    public static PriceLevel L(string price, long contracts) => new(Price.Parse(price), Quantity.FromContracts(contracts));

    public static Quantity Q(long contracts) => Quantity.FromContracts(contracts);

    public static Price P(string price) => Price.Parse(price);

    public static Money M(string dollars) => Money.Parse(dollars);

    public MarketHandle Market(string venue, string eventId)
    {
        int pair = Host.Pairs.ToList().FindIndex(p => p.EventId == eventId);
        int venueIndex = Host.Venues.First(v => v.Name == venue).Index;
        return Host.Pairs[pair].Legs.First(h => Host.Kernel.Books[h].VenueIndex == venueIndex);
    }

    /// <summary>Kalshi-style book: YES and NO bids only.</summary>
    public Task SetKalshiBookAsync(string eventId, PriceLevel[] yesBids, PriceLevel[] noBids) =>
        SetBookAsync("ka", eventId, yesBids, [], noBids, []);

    /// <summary>Polymarket-style book: both sides of both outcomes.</summary>
    public Task SetPolyBookAsync(string eventId, PriceLevel[] yesBids, PriceLevel[] yesAsks, PriceLevel[] noBids, PriceLevel[] noAsks) =>
        SetBookAsync("pb", eventId, yesBids, yesAsks, noBids, noAsks);

    public async Task SetBookAsync(string venue, string eventId, PriceLevel[] yesBids, PriceLevel[] yesAsks, PriceLevel[] noBids, PriceLevel[] noAsks)
    {
        MarketHandle market = Market(venue, eventId);
        int venueIndex = Host.Venues.First(v => v.Name == venue).Index;
        var snapshot = new BookSnapshot(market, 0, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), Stopwatch.GetTimestamp(), yesBids, yesAsks, noBids, noAsks, Price.Cent);
        Assert.True(Host.Kernel.Post(KernelEvent.ForSnapshot(venueIndex, snapshot)));
        await Host.Kernel.InvokeAsync(() => true); // queued behind the snapshot: it is applied when this returns
        await Task.Delay(5); // past min_epoch_age (1 ms here): a first snapshot starts a new epoch
    }

    /// <summary>A trade on a venue's public tape, as its connector would report it.</summary>
    public async Task PrintTradeAsync(string venue, string eventId, Outcome outcome, string price, long contracts, OrderSide aggressor)
    {
        MarketHandle market = Market(venue, eventId);
        int venueIndex = Host.Venues.First(v => v.Name == venue).Index;
        var trade = new TradePrint(market, outcome, Price.Parse(price), Quantity.FromContracts(contracts), aggressor, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), Stopwatch.GetTimestamp());
        Assert.True(Host.Kernel.Post(KernelEvent.ForTrade(venueIndex, trade)));
        await Host.Kernel.InvokeAsync(() => true);
    }

    /// <summary>The usual books: EV1 on ka YES 0.40/0.45 (NO bid 0.55), on pb YES 0.48/0.50 and NO 0.48/0.50, 100 deep.</summary>
    public async Task SetUsualBooksAsync(string eventId = "EV1")
    {
        await SetKalshiBookAsync(eventId, [L("0.40", 100)], [L("0.55", 100)]);
        await SetPolyBookAsync(eventId, [L("0.48", 100)], [L("0.50", 100)], [L("0.48", 100)], [L("0.50", 100)]);
    }

    public static OrderIntent Buy(MarketHandle market, Outcome outcome, string limit, long contracts, TimeInForce tif = TimeInForce.ImmediateOrCancel, bool postOnly = false) =>
        new(market, outcome, OrderSide.Buy, P(limit), Q(contracts), tif, postOnly);

    /// <summary>Buy YES on ka and NO on pb, 10 each by default, as an arbitrage pair.</summary>
    public IntentGroup DutchPair(string eventId = "EV1", long contracts = 10, string yesLimit = "0.45", string noLimit = "0.50", string edge = "0.20", TimeInForce tif = TimeInForce.ImmediateOrCancel) =>
        IntentGroup.Pair(Buy(Market("ka", eventId), Outcome.Yes, yesLimit, contracts, tif), Buy(Market("pb", eventId), Outcome.No, noLimit, contracts, tif), M(edge), "test pair");

    public Task<long> SubmitAsync(IntentGroup group, string eventId = "EV1", bool reducesRisk = false) =>
        Host.Kernel.InvokeAsync(() => Execution.SubmitNow(group, "test", eventId, reducesRisk));

    /// <summary>Submits and insists the group passed risk (naming the rejection if not).</summary>
    public async Task<long> SendAsync(IntentGroup group, string eventId = "EV1", bool reducesRisk = false)
    {
        long before = await Host.Kernel.InvokeAsync(() => Execution.Risk.RejectedTotal);
        long id = await SubmitAsync(group, eventId, reducesRisk);
        (long after, string last) = await Host.Kernel.InvokeAsync(() => (Execution.Risk.RejectedTotal, Execution.Risk.LastRejection));
        Assert.True(after == before, $"group {id} was rejected: {last}");
        return id;
    }

    public Task<T> OnKernelAsync<T>(Func<T> read) => Host.Kernel.InvokeAsync(read);

    public async Task<bool> WaitAsync(Func<bool> onKernel, double seconds = 10)
    {
        return await EngineFixture.WaitUntil(() => Host.Kernel.InvokeAsync(onKernel), TimeSpan.FromSeconds(seconds));
    }

    public Task<ExecutionSummary> SummaryAsync() => Host.Kernel.InvokeAsync(() => Execution.Summarize());

    /// <summary>Whether every order of a group is done.</summary>
    public bool GroupDone(long groupId) =>
        Enumerable.Range(0, 8).Select(leg => Orders.Order($"arb-{groupId}-{leg}")).Where(o => o is not null).All(o => o!.IsDone);

    public async Task<long> ScalarAsync(string sql)
    {
        await Host.FillLog.FlushAsync(TimeSpan.FromSeconds(10));
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=false");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        object? value = command.ExecuteScalar();
        return value is null or DBNull ? 0 : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<List<string>> ColumnAsync(string sql)
    {
        await Host.FillLog.FlushAsync(TimeSpan.FromSeconds(10));
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=false");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        using SqliteDataReader reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(reader.IsDBNull(0) ? "" : Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        }

        return rows;
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
