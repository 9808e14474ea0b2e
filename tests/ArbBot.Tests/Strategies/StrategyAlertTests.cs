using ArbBot.Engine.Configuration;
using ArbBot.Engine.Execution.Alerts;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArbBot.Tests.Strategies;

/// <summary><c>context.Alert</c>: a script raises alerts through the engine's alert sink, limited per strategy.</summary>
public sealed class StrategyAlertTests : IDisposable
{
    private const string Alerting = """
        public sealed class Alerting : IStrategy
        {
            private int _calls;
            public void Initialize(IStrategySetup setup) { }
            public void OnBookUpdate(IStrategyContext context)
            {
                _calls++;
                context.Alert(_calls % 2 == 0 ? StrategyAlertLevel.Error : StrategyAlertLevel.Warning, "call " + _calls + "\nforged log line\u001b[31m " + new string('x', 600));
            }
        }
        """;

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "arbbot-tests", "alerts-" + Guid.NewGuid().ToString("N"));

    public StrategyAlertTests() => Directory.CreateDirectory(_dir);

    [Fact]
    public async Task Alerts_reach_the_sink_as_one_clean_line_and_past_alerts_per_minute_are_counted_then_reported_with_the_next()
    {
        string file = Path.Combine(_dir, "alerting.csx");
        File.WriteAllText(file, Alerting);
        using var scenario = new StrategyScenario(file, configure: s => s with { AlertsPerMinute = 3 });
        await using var sink = new AlertSink(AlertOptions.Default, "t", null, NullLogger.Instance);
        var published = new List<Alert>();
        sink.Published += published.Add;
        scenario.Host.Alerts = sink;

        for (int i = 0; i < 5; i++)
        {
            scenario.PolyBook([("0.40", "10")], [("0.45", "10")], [("0.55", "10")], [("0.60", "10")]);
        }

        Assert.Equal(3, published.Count);
        Assert.Equal(["warning", "error", "warning"], published.Select(a => a.Level));
        Alert first = published[0];
        Assert.Equal("strategy", first.Kind);
        Assert.Equal("E1", first.EventId);
        Assert.StartsWith("alerting: call 1 forged log line [31m xxx", first.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(first.Message, c => char.IsControl(c));
        Assert.Equal("alerting: ".Length + 500 + 1, first.Message.Length); // cut at 500 characters, an ellipsis marks the cut
        Assert.EndsWith("…", first.Message, StringComparison.Ordinal);
        Assert.Equal(scenario.Clock.GetUtcNow().ToUnixTimeMilliseconds(), first.TimestampMs);

        var runtime = scenario.Host.Strategies.Single();
        Assert.Equal(3, runtime.AlertsRaised);
        Assert.Equal(2, runtime.AlertsSuppressed);

        // A minute of engine time later the window has room again; the first one out says how many were held back.
        scenario.Clock.Advance(TimeSpan.FromMinutes(1));
        scenario.PolyBook([("0.40", "10")], [("0.45", "10")], [("0.55", "10")], [("0.60", "10")]);
        Assert.Equal(4, published.Count);
        Assert.StartsWith("alerting: call 6 ", published[3].Message, StringComparison.Ordinal);
        Assert.EndsWith(" (2 more held back by alerts_per_minute 3)", published[3].Message, StringComparison.Ordinal);
        Assert.Equal(4, runtime.AlertsRaised);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // a compiler or watcher may still hold a file for a moment; the temp folder is cleaned later
        }
    }
}
