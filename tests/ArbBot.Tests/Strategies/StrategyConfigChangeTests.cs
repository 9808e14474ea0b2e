using ArbBot.Engine.Configuration;
using ArbBot.Engine.Strategies;

namespace ArbBot.Tests.Strategies;

/// <summary>The running set of strategies follows an edited config: added, removed, re-parameterised, bad edits refused.</summary>
public sealed class StrategyConfigChangeTests : IDisposable
{
    private const string Tagged = """
        public sealed class Tagged : IStrategy
        {
            private string _tag = "";
            private long _every;
            public void Initialize(IStrategySetup setup)
            {
                _tag = setup.Parameters.Text("tag", "none");
                _every = setup.Parameters.Integer("every", 1);
            }
            public void OnBookUpdate(IStrategyContext context)
            {
                var leg = new OrderIntent(context.Changed.Market, Outcome.Yes, OrderSide.Buy, Price.Parse("0.10"), Quantity.FromContracts(1), TimeInForce.ImmediateOrCancel);
                context.Emit(IntentGroup.Single(leg, Money.Zero, _every == 1 ? _tag : _tag + "/" + _every));
            }
        }
        """;

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "arbbot-tests", "config-change-" + Guid.NewGuid().ToString("N"));

    public StrategyConfigChangeTests() => Directory.CreateDirectory(_dir);

    [Fact]
    public async Task Strategies_are_added_re_parameterised_and_removed_while_running_and_a_bad_entry_leaves_the_running_ones_as_they_were()
    {
        string a = Write("a.csx", Tagged);
        string b = Write("b.csx", Tagged);
        string broken = Write("broken.csx", "public sealed class Broken : IStrategy { public void Initialize(IStrategySetup s) { } public void OnBookUpdate(IStrategyContext c) { int x = ; } }");
        using var scenario = new StrategyScenario(a, new Dictionary<string, string> { ["tag"] = "a-one" });
        scenario.StartKernel();
        StrategyConfig first = scenario.Config.Strategies.Single();
        Assert.Equal(["a-one"], Reasons(scenario));

        // b is added; a gets a new tag: a new instance with it, the same runtime (its counters go on).
        StrategyRuntime runtimeA = scenario.Host.Strategies.Single();
        long callsBefore = runtimeA.Calls;
        IReadOnlyList<string> changes = await scenario.Host.ApplyStrategiesAsync(
            [With(first, "a-two"), Entry("b", b, "b-one", line: 20)]);
        Assert.Contains(changes, c => c.StartsWith("strategy b added from ", StringComparison.Ordinal) && c.EndsWith(":20", StringComparison.Ordinal));
        Assert.Contains(changes, c => c.StartsWith("strategy a runs with its new settings", StringComparison.Ordinal));
        Assert.Equal(["a-two", "b-one"], Reasons(scenario));
        Assert.Same(runtimeA, scenario.Host.Strategies[0]);
        Assert.True(runtimeA.Calls > callsBefore);
        Assert.Equal("a-two", runtimeA.Config.Parameters["tag"]);

        // The same settings again: nothing is touched.
        Assert.Empty(await scenario.Host.ApplyStrategiesAsync([With(first, "a-two"), Entry("b", b, "b-one", line: 20)]));

        // A parameter the script cannot read: refused with the config's line, the running instance keeps its settings.
        StrategyConfig bad = With(first, "a-three") with
        {
            Parameters = new Dictionary<string, string> { ["tag"] = "a-three", ["every"] = "often" },
            ParameterLines = new Dictionary<string, long> { ["tag"] = 7, ["every"] = 8 },
        };
        changes = await scenario.Host.ApplyStrategiesAsync([bad, Entry("b", b, "b-one", line: 20)]);
        string refusal = Assert.Single(changes);
        Assert.Contains(":8: strategies.a.parameters.every", refusal, StringComparison.Ordinal);
        Assert.Contains("keeps running", refusal, StringComparison.Ordinal);
        Assert.Equal(["a-two", "b-one"], Reasons(scenario));

        // a is removed (unloaded), a strategy whose file does not compile is added but stays off until it does.
        changes = await scenario.Host.ApplyStrategiesAsync([Entry("b", b, "b-one", line: 20), Entry("broken", broken, "x", line: 30)]);
        Assert.Contains("strategy a stopped: no longer in", string.Join("\n", changes), StringComparison.Ordinal);
        Assert.Contains(changes, c => c.Contains("broken added from", StringComparison.Ordinal) && c.Contains("does not compile", StringComparison.Ordinal));
        Assert.Equal(["b-one"], Reasons(scenario));
        Assert.Equal(["b", "broken"], scenario.Host.Strategies.Select(s => s.Name));
        StrategyRuntime off = scenario.Host.Strategies[1];
        Assert.NotEmpty(off.CompileErrors);
        Assert.NotNull(off.DisabledReason);
        Assert.NotNull(runtimeA.DisabledReason);
    }

    private static StrategyConfig With(StrategyConfig entry, string tag) =>
        entry with { Parameters = new Dictionary<string, string> { ["tag"] = tag }, ParameterLines = new Dictionary<string, long> { ["tag"] = 7 } };

    private static StrategyConfig Entry(string name, string file, string tag, long line) =>
        new(name, file, true, new Dictionary<string, string> { ["tag"] = tag }, new Dictionary<string, long> { ["tag"] = line + 2 }, TimeSpan.FromSeconds(5), 10, TimeSpan.FromMinutes(1), line);

    /// <summary>One book update; the reasons of what the running strategies emitted on it, in their order.</summary>
    private static List<string> Reasons(StrategyScenario scenario)
    {
        int before = scenario.Emitted.Count;
        scenario.PolyBook([("0.40", "10")], [("0.45", "10")], [("0.55", "10")], [("0.60", "10")]);
        return scenario.Emitted.Skip(before).Select(g => g.Reason).ToList();
    }

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // a compiler may still hold a file for a moment; the temp folder is cleaned later
        }
    }
}
