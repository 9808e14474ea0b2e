using ArbBot.Abstractions.Events;
using ArbBot.Abstractions.Fees;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Orders;
using ArbBot.Abstractions.Strategies;
using ArbBot.Engine.Books;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Kernel;
using ArbBot.Engine.Orders;
using ArbBot.Engine.Pipeline;
using ArbBot.Engine.Scripting;
using ArbBot.Engine.Strategies;
using ArbBot.Engine.Strategies.Compilation;
using ArbBot.Tests.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArbBot.Tests.Strategies;

/// <summary>
/// One shipped strategy (the real .csx, compiled by the real compiler) over hand-built books of one
/// pair: leg 0 is a Kalshi-like venue (bids only, Kalshi fees), leg 1 a Polymarket-like venue
/// (both sides, fee rate 0.04). Updates are delivered straight to the strategy host, as the kernel would.
/// </summary>
internal sealed class StrategyScenario : IDisposable
{
    public const int Kalshi = 0;
    public const int Poly = 1;

    private static readonly string s_cache = Path.Combine(Path.GetTempPath(), "arbbot-tests", "strategy-cache");
    private readonly EngineKernel _kernel;
    private readonly IntentQueue _intents = new();
    private readonly List<IntentGroup> _emitted = new();

    public StrategyScenario(string strategyFile, IReadOnlyDictionary<string, string>? parameters = null, bool fees = true, Func<StrategyConfig, StrategyConfig>? configure = null)
    {
        var books = new BookStore();
        Handles = [books.Register(0, "kalshi", "K-1", BookStyle.BidsOnly), books.Register(1, "poly", "P-1", BookStyle.TwoSided)];
        books[Handles[0]].Fees = fees ? new KalshiFeeModel(Price.One, makerFees: false) : NoFees.Instance;
        books[Handles[1]].Fees = fees ? new PolymarketFeeModel(Price.Parse("0.04")) : NoFees.Instance;
        _kernel = new EngineKernel(books, 1024, TimeSpan.FromSeconds(1), NullLogger.Instance);
        var pairs = new List<MarketPair> { new("E1", Handles) };
        Opportunities = new OpportunityLog(NullLogger.Instance);
        Opportunities.Emitted += g => _emitted.Add(g);
        string path = Path.Combine(ConfigLoaderTests.RepoRoot(), "strategies", strategyFile);
        var strategy = new StrategyConfig(Path.GetFileNameWithoutExtension(strategyFile), path, true, parameters ?? new Dictionary<string, string>(), new Dictionary<string, long>(), TimeSpan.FromSeconds(5), 10, TimeSpan.FromMinutes(1), 1);
        Config = new ArbBotConfig(
            Path.Combine(Path.GetTempPath(), "test.yaml"),
            new EngineOptions("t", 1024, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), s_cache),
            [],
            [],
            [],
            [configure is null ? strategy : configure(strategy)],
            new RiskLimits(Money.Parse("1000"), Money.Parse("5000"), Money.Parse("10000"), Money.Parse("1000"), Money.Parse("1000"), TimeSpan.FromHours(1)),
            new RedisOptions(false, "", 0, "arb", 30, null));
        Host = new StrategyHost(Config, _kernel, pairs, new Inventory(), _intents, new ScriptCompiler(s_cache), NullLogger.Instance, Clock);
        IReadOnlyList<string> problems = Host.LoadAll();
        Assert.Empty(problems);
    }

    public MarketHandle[] Handles { get; }

    /// <summary>The config the host was made from (its strategy file is <c>strategies/NAME</c> of the repository, or an absolute path).</summary>
    public ArbBotConfig Config { get; }

    /// <summary>Starts the kernel's thread: what the host does on it (applying a changed config) runs there.</summary>
    public void StartKernel() => _kernel.Start();

    public StrategyHost Host { get; }

    public OpportunityLog Opportunities { get; }

    public ManualClock Clock { get; } = new();

    /// <summary>What the strategy emitted so far (the queue the pipeline would take, drained on each read).</summary>
    public List<IntentGroup> Emitted
    {
        get
        {
            foreach (IntentGroup group in _intents.TakeAll())
            {
                Opportunities.Record(group);
            }

            return _emitted;
        }
    }

    public BookStore Books => _kernel.Books;

    /// <summary>Sets the Kalshi-like book: YES bids and NO bids as (price, contracts).</summary>
    public void KalshiBook((string Price, string Size)[] yesBids, (string Price, string Size)[] noBids) =>
        Apply(new BookSnapshot(Handles[0], 0, 0, System.Diagnostics.Stopwatch.GetTimestamp(), Levels(yesBids), [], Levels(noBids), []));

    /// <summary>Sets the Polymarket-like book: four sides as (price, contracts).</summary>
    public void PolyBook((string, string)[] yesBids, (string, string)[] yesAsks, (string, string)[] noBids, (string, string)[] noAsks, string tick = "0.01") =>
        Apply(new BookSnapshot(Handles[1], 0, 0, System.Diagnostics.Stopwatch.GetTimestamp(), Levels(yesBids), Levels(yesAsks), Levels(noBids), Levels(noAsks), Price.Parse(tick)));

    public void Fill(long groupId, int leg, int venue, Outcome outcome, string price, string quantity, bool isMaker) =>
        Host.OnFill(venue, new Fill(Engine.Execution.ClientOrderIds.For(groupId, leg), "v-1", Guid.NewGuid().ToString("N"), Handles[venue], outcome, OrderSide.Buy, Price.Parse(price), Quantity.Parse(quantity), Money.Zero, isMaker, 0));

    public void Dispose()
    {
        Host.Dispose();
        _kernel.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private void Apply(BookSnapshot snapshot)
    {
        Assert.Equal(ApplyResult.Applied, Books.ApplySnapshot(snapshot, System.Diagnostics.Stopwatch.GetTimestamp()));
        Host.OnBookUpdated(Books[snapshot.Market]);
    }

    private static PriceLevel[] Levels((string Price, string Size)[] levels) =>
        levels.Select(l => new PriceLevel(Price.Parse(l.Price), Quantity.Parse(l.Size))).ToArray();
}
