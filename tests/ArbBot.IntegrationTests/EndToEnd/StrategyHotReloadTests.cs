using System.Collections.Concurrent;
using System.Globalization;
using ArbBot.Abstractions.Strategies;
using ArbBot.Engine.Hosting;
using ArbBot.Engine.Scripting;
using ArbBot.Engine.Strategies;
using ArbBot.Engine.Strategies.Compilation;
using ArbBot.IntegrationTests.Support;

namespace ArbBot.IntegrationTests.EndToEnd;

/// <summary>Editing a .csx file under a running engine on the sim venues, the way a user does.</summary>
[Collection(TimingSensitiveCollection.Name)]
public sealed class StrategyHotReloadTests
{
    private readonly string _dir = TestPaths.NewTempDirectory("hot-reload");

    private static string Version(string tag, string body = "") => $$"""
        #load "helper.csx"
        public sealed class Tagger : IStrategy
        {
            public void Initialize(IStrategySetup setup) { }
            public void OnBookUpdate(IStrategyContext context)
            {
                {{body}}
                var leg = new OrderIntent(context.Changed.Market, Outcome.Yes, OrderSide.Buy, Price.Parse("0.01"), Quantity.FromContracts(1), TimeInForce.ImmediateOrCancel);
                context.Emit(IntentGroup.Single(leg, Money.Zero, "{{tag}}/" + Helper.Tag()));
            }
        }
        """;

    [Fact]
    public async Task Saving_a_new_version_swaps_it_in_a_broken_save_keeps_the_old_one_and_a_fix_recovers()
    {
        string script = Path.Combine(_dir, "tagger.csx");
        string helper = Path.Combine(_dir, "helper.csx");
        File.WriteAllText(helper, "public static class Helper { public static string Tag() => \"h1\"; }");
        File.WriteAllText(script, Version("v1"));
        string yaml = EngineFixture.Sims() + $"""

            strategies:
              - name: tagger
                file: {script}
            """;
        await using EngineHost host = EngineFixture.Create(yaml, _dir);
        var seen = new ConcurrentDictionary<string, int>();
        await host.StartAsync(CancellationToken.None);
        host.Opportunities.Emitted += g => seen.AddOrUpdate(g.Reason, 1, (_, n) => n + 1);
        var failures = new ConcurrentQueue<IReadOnlyList<ScriptDiagnostic>>();
        host.Strategies.CompileFailed += (_, errors) => failures.Enqueue(errors);
        host.WatchStrategies();
        StrategyRuntime runtime = host.Strategies.Strategies.Single();

        Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(seen.ContainsKey("v1/h1")), TimeSpan.FromSeconds(20)), "v1 never acted");
        string v1 = runtime.Version!;

        // A good edit: the new version takes over while the engine runs.
        File.WriteAllText(script, Version("v2"));
        Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(seen.ContainsKey("v2/h1")), TimeSpan.FromSeconds(20)), "v2 never acted");
        Assert.NotEqual(v1, runtime.Version);
        Assert.True(runtime.LastSaveToLiveMs > 0);
        WeakReference? v1Context = runtime.LastReplacedContext;

        // A broken edit: errors with file:line:column, v2 keeps acting.
        File.WriteAllText(script, Version("v3", body: "int broken = ;"));
        Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(!failures.IsEmpty), TimeSpan.FromSeconds(20)), "the broken save was not reported");
        failures.TryPeek(out IReadOnlyList<ScriptDiagnostic>? reported);
        ScriptDiagnostic error = reported![0];
        Assert.Equal(script, error.File);
        Assert.Equal(7, error.Line);
        Assert.Equal(Path.GetFileName(script), Path.GetFileName(runtime.CompileErrors[0].File));
        int v2Before = seen["v2/h1"];
        Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(seen["v2/h1"] > v2Before + 10), TimeSpan.FromSeconds(10)), "v2 stopped acting after a broken save");
        Assert.False(seen.ContainsKey("v3/h1"));
        Assert.Null(runtime.DisabledReason);

        // The fix recovers; editing only the #load helper reloads the strategy too.
        long fixSaved = System.Diagnostics.Stopwatch.GetTimestamp();
        File.WriteAllText(script, Version("v3"));
        Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(seen.ContainsKey("v3/h1")), TimeSpan.FromSeconds(20)), "the fixed version never acted");
        Assert.True(runtime.LastSaveToLiveMs <= System.Diagnostics.Stopwatch.GetElapsedTime(fixSaved).TotalMilliseconds,
            $"save to live {runtime.LastSaveToLiveMs:0} ms counts from before the save that produced the version (the broken one)");
        File.WriteAllText(helper, "public static class Helper { public static string Tag() => \"h2\"; }");
        Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(seen.ContainsKey("v3/h2")), TimeSpan.FromSeconds(20)), "a helper edit did not reload the strategy");
        Assert.Equal(3, runtime.Reloads);

        // Replaced versions really unload.
        Assert.NotNull(v1Context);
        Assert.True(TestPluginCompiler.CollectUntilDead(v1Context!), "the first version's load context is still alive");
    }

    [Fact]
    public async Task State_exported_by_the_old_version_is_imported_by_the_new_one()
    {
        string script = Path.Combine(_dir, "stateful.csx");
        string Source(string tag) => $$"""
            public sealed class Stateful : IStrategy, IStrategyState
            {
                private long _calls;
                public void Initialize(IStrategySetup setup) { }
                public void OnBookUpdate(IStrategyContext context)
                {
                    _calls++;
                    if (_calls % 50 == 0)
                    {
                        var leg = new OrderIntent(context.Changed.Market, Outcome.Yes, OrderSide.Buy, Price.Parse("0.01"), Quantity.FromContracts(1), TimeInForce.ImmediateOrCancel);
                        context.Emit(IntentGroup.Single(leg, Money.Zero, "{{tag}} " + _calls));
                    }
                }
                public string? ExportState() => _calls.ToString();
                public void ImportState(string state) => _calls = long.Parse(state);
            }
            """;
        File.WriteAllText(script, Source("old"));
        string yaml = EngineFixture.Sims() + $"""

            strategies:
              - file: {script}
            """;
        await using EngineHost host = EngineFixture.Create(yaml, _dir);
        var reasons = new ConcurrentQueue<string>();
        await host.StartAsync(CancellationToken.None);
        host.Opportunities.Emitted += g => reasons.Enqueue(g.Reason);
        Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(reasons.Count >= 2), TimeSpan.FromSeconds(20)));

        File.WriteAllText(script, Source("new"));
        Assert.True(await host.Strategies.ReloadAsync(host.Strategies.Strategies.Single()));
        Assert.True(await EngineFixture.WaitUntil(() => Task.FromResult(reasons.Any(r => r.StartsWith("new", StringComparison.Ordinal))), TimeSpan.FromSeconds(20)));
        long firstNew = long.Parse(reasons.First(r => r.StartsWith("new", StringComparison.Ordinal))[4..], CultureInfo.InvariantCulture);
        Assert.True(firstNew > 50, $"the new version counted from {firstNew}: it did not receive the old count");
    }
}
