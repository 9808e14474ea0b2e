using ArbBot.Abstractions.FixedPoint;
using ArbBot.Engine.Configuration;

namespace ArbBot.Bench;

/// <summary>The config the benchmarks' strategy hosts run under: these strategy files, roomy limits, no Redis.</summary>
internal static class BenchConfig
{
    public static ArbBotConfig WithStrategies(IEnumerable<string> files, int channelCapacity = 1024) => new(
        "bench.yaml",
        new EngineOptions("bench", channelCapacity, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), ".cache"),
        [],
        [],
        [],
        files.Select(f => new StrategyConfig(Path.GetFileNameWithoutExtension(f), f, true, new Dictionary<string, string>(), new Dictionary<string, long>(), TimeSpan.FromSeconds(1), 10, TimeSpan.FromMinutes(1), 1)).ToList(),
        new RiskLimits(Money.Parse("100"), Money.Parse("500"), Money.Parse("2000"), Money.Parse("100"), Money.Parse("200"), TimeSpan.FromHours(1)),
        new RedisOptions(false, "", 0, "arb", 30, null));
}
