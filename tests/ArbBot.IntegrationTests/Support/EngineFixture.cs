using ArbBot.Engine.Configuration;
using ArbBot.Engine.Hosting;
using ArbBot.Engine.Plugins;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArbBot.IntegrationTests.Support;

/// <summary>Starts an <see cref="EngineHost"/> from YAML text, with plugins found beside the tests.</summary>
internal static class EngineFixture
{
    public const string TwoSimVenues = """
        engine:
          id: it
          timer_interval: 50ms
        venues:
          - name: sim-kalshi
            plugin: ArbBot.Venues.Sim
            settings:
              style: kalshi
              market_prefix: SIMK
              events: "4"
              updates_per_second: "800"
              order_latency_ms: "5"
        {0}
          - name: sim-poly
            plugin: ArbBot.Venues.Sim
            settings:
              style: polymarket
              market_prefix: SIMP
              events: "4"
              updates_per_second: "800"
              feed_lag_ms: "400"
              order_latency_ms: "5"
        pairs:
          - event: E01
            legs: { sim-kalshi: SIMK-E01, sim-poly: { market: SIMP-E01, yes: SIMP-E01-YES, no: SIMP-E01-NO } }
          - event: E02
            legs: { sim-kalshi: SIMK-E02, sim-poly: { market: SIMP-E02, yes: SIMP-E02-YES, no: SIMP-E02-NO } }
          - event: E03
            legs: { sim-kalshi: SIMK-E03, sim-poly: { market: SIMP-E03, yes: SIMP-E03-YES, no: SIMP-E03-NO } }
          - event: E04
            legs: { sim-kalshi: SIMK-E04, sim-poly: { market: SIMP-E04, yes: SIMP-E04-YES, no: SIMP-E04-NO } }
        """;

    /// <summary>The two-venue config, with extra sim-kalshi settings lines (indented 6 spaces) in place of {0}.</summary>
    public static string Sims(string extraKalshiSettings = "") => TwoSimVenues.Replace("{0}", extraKalshiSettings);

    public static EngineHost Create(string yaml, string? directory = null, ILoggerFactory? logging = null)
    {
        directory ??= TestPaths.NewTempDirectory("engine");
        string path = Path.Combine(directory, "arbbot.yaml");
        File.WriteAllText(path, yaml);
        ArbBotConfig config = ConfigLoader.Load(path);
        return new EngineHost(config, new PluginLoader([TestPaths.PluginsDirectory, directory]), logging ?? NullLoggerFactory.Instance);
    }

    public static async Task<bool> WaitUntil(Func<Task<bool>> condition, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition().ConfigureAwait(false))
            {
                return true;
            }

            await Task.Delay(25).ConfigureAwait(false);
        }

        return await condition().ConfigureAwait(false);
    }
}
