using System.Diagnostics;
using ArbBot.Abstractions.Events;
using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Strategies;
using ArbBot.Engine.Books;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Kernel;
using ArbBot.Engine.Orders;
using ArbBot.Engine.Pipeline;
using ArbBot.Engine.Scripting;
using ArbBot.Engine.Strategies;
using ArbBot.Engine.Strategies.Compilation;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArbBot.Tests.Strategies;

/// <summary>Strategies that throw or never return, next to one that works, on the real kernel thread.</summary>
public sealed class StrategyIsolationTests
{
    private const string Counting = """
        public sealed class Counting : IStrategy
        {
            public void Initialize(IStrategySetup setup) { }
            public void OnBookUpdate(IStrategyContext context)
            {
                var leg = new OrderIntent(context.Changed.Market, Outcome.Yes, OrderSide.Buy, Price.Parse("0.10"), Quantity.FromContracts(1), TimeInForce.ImmediateOrCancel);
                context.Emit(IntentGroup.Single(leg, Money.Zero, "tick"));
            }
        }
        """;

    private const string Throwing = """
        public sealed class Throwing : IStrategy
        {
            public void Initialize(IStrategySetup setup) { }
            public void OnBookUpdate(IStrategyContext context)
            {
                throw new InvalidOperationException("bad idea");
            }
        }
        """;

    private const string Looping = """
        public sealed class Looping : IStrategy
        {
            private long _spins;
            public void Initialize(IStrategySetup setup) { }
            public void OnBookUpdate(IStrategyContext context)
            {
                while (true)
                    _spins++;
            }
        }
        """;

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "arbbot-tests", "isolation-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_throwing_strategy_is_logged_once_counted_and_disabled_while_the_others_go_on()
    {
        await using var rig = await Rig.StartAsync(_dir, ("counting", Counting), ("throwing", Throwing));
        await rig.PushUpdatesAsync(30);

        StrategyRuntime throwing = rig.Host.Strategies.Single(s => s.Name == "throwing");
        StrategyRuntime counting = rig.Host.Strategies.Single(s => s.Name == "counting");
        Assert.Equal(5, throwing.Errors); // max_errors 5: the fifth disables it
        Assert.NotNull(throwing.DisabledReason);
        Assert.Contains("5 errors within 60 s", throwing.DisabledReason);
        Assert.Contains("throwing.csx:6", throwing.DisabledReason); // the script's own line
        Assert.Null(counting.DisabledReason);
        Assert.Equal(30, counting.Calls);
        Assert.Equal(30, rig.Emitted.Count);
    }

    [Fact]
    public async Task A_strategy_that_never_returns_is_stopped_within_its_budget_each_call_and_disabled_after_three_and_the_kernel_goes_on()
    {
        await using var rig = await Rig.StartAsync(_dir, ("looping", Looping), ("counting", Counting));
        var watch = Stopwatch.StartNew();
        await rig.PushUpdatesAsync(20);
        watch.Stop();

        StrategyRuntime looping = rig.Host.Strategies.Single(s => s.Name == "looping");
        Assert.NotNull(looping.DisabledReason);
        Assert.Contains("3 calls ran past its 100 ms budget within 60 s", looping.DisabledReason);
        Assert.Contains("looping.csx:8", looping.DisabledReason); // stopped inside the loop
        Assert.Equal(3, looping.Calls); // one slow call is forgiven (a cold path on a busy machine); three are not
        Assert.Equal(20, rig.Host.Strategies.Single(s => s.Name == "counting").Calls); // the kernel went on past every stopped call

        // Not a timing target (a busy machine stretches it): a guard against a call that was never stopped at all,
        // which would hold the kernel for good. Three stopped calls take a few seconds, 13 s seen under stress-ng --cpu 2.
        Assert.True(watch.Elapsed < TimeSpan.FromMinutes(2), $"the kernel was held for {watch.Elapsed}");
    }

    /// <summary>A kernel with one two-sided book and a strategy host over it.</summary>
    private sealed class Rig : IAsyncDisposable
    {
        private Rig(EngineKernel kernel, StrategyHost host, MarketHandle market)
        {
            Kernel = kernel;
            Host = host;
            Market = market;
        }

        public EngineKernel Kernel { get; }

        public StrategyHost Host { get; }

        public MarketHandle Market { get; }

        public List<IntentGroup> Emitted { get; } = new();

        public static async Task<Rig> StartAsync(string dir, params (string Name, string Source)[] strategies)
        {
            Directory.CreateDirectory(dir);
            var books = new BookStore();
            MarketHandle market = books.Register(0, "v", "M", BookStyle.TwoSided);
            var kernel = new EngineKernel(books, 1024, TimeSpan.FromSeconds(10), NullLogger.Instance);
            kernel.AddVenue("v");
            var configs = strategies.Select(s =>
            {
                string path = Path.Combine(dir, s.Name + ".csx");
                File.WriteAllText(path, s.Source);
                return new StrategyConfig(s.Name, path, true, new Dictionary<string, string>(), new Dictionary<string, long>(), TimeSpan.FromMilliseconds(100), 5, TimeSpan.FromMinutes(1), 1);
            }).ToList();
            var config = new ArbBotConfig(
                Path.Combine(dir, "arbbot.yaml"),
                new EngineOptions("t", 1024, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), ".cache"),
                [],
                [],
                [],
                configs,
                new RiskLimits(Money.Parse("1"), Money.Parse("1"), Money.Parse("1"), Money.Parse("1"), Money.Parse("1"), TimeSpan.FromHours(1)),
                new RedisOptions(false, "", 0, "arb", 30, null));
            var intents = new IntentQueue();
            var host = new StrategyHost(config, kernel, [new MarketPair("E", [market])], new Inventory(), intents, new ScriptCompiler(null), NullLogger.Instance, TimeProvider.System);
            var rig = new Rig(kernel, host, market);
            Assert.Empty(host.LoadAll());

            // The book is usable before the kernel starts, so strategies see only the pushed updates.
            books.ApplySnapshot(new BookSnapshot(market, 0, 0, 0, [new PriceLevel(Price.Parse("0.40"), Quantity.FromContracts(10))], [], [], []), Stopwatch.GetTimestamp());
            kernel.AddListener(host);
            kernel.AddListener(new IntentCollector(intents, rig.Emitted)); // where the pipeline would take them to risk
            kernel.Start();
            await kernel.InvokeAsync(() => 0);
            return rig;
        }

        public async Task PushUpdatesAsync(int count)
        {
            for (int i = 1; i <= count; i++)
            {
                Kernel.Post(KernelEvent.ForDelta(0, new BookDelta(Market, Outcome.Yes, BookSide.Bid, Price.Parse("0.40"), Quantity.FromContracts(10 + i), DeltaKind.Set, 0, 0, Stopwatch.GetTimestamp())));
            }

            await Kernel.InvokeAsync(() => 0);
        }

        public async ValueTask DisposeAsync()
        {
            Host.Dispose();
            await Kernel.DisposeAsync();
        }
    }
}
