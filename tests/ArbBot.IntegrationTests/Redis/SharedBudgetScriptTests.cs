using ArbBot.Engine.Mirror;
using ArbBot.IntegrationTests.Support;
using StackExchange.Redis;

namespace ArbBot.IntegrationTests.Redis;

/// <summary>
/// The shared budget's Lua script on a real redis-server, against a model of the budget written
/// here on its own (a dictionary of grants, no Redis): random engines asking random amounts,
/// releasing, leaving and dying, in random order. Every answer and the whole hash must equal the
/// model's, and the sums must never pass the total or a unit's budget.
/// </summary>
public sealed class SharedBudgetScriptTests
{
    private const string Key = "arbtest:budget:acct";

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task Random_asks_get_what_the_independent_model_grants_and_never_pass_the_budget(int seed)
    {
        using RedisServer redis = RedisServer.StartNew();
        using ConnectionMultiplexer client = redis.Client();
        IDatabase db = client.GetDatabase();
        var random = new Random(seed);
        long total = random.Next(1, 50) * 1_000_000L + random.Next(0, 1_000_000);
        long perUnit = Math.Max(1, total / random.Next(1, 4) - random.Next(0, 500_000));
        string[] engines = ["e1", "e2", "e3"];
        string[] units = ["E01", "E02", "E03", "group:E10"];
        var model = new BudgetModel(total, perUnit);
        for (int step = 0; step < 400; step++)
        {
            string engine = engines[random.Next(engines.Length)];
            string[] asked = units.Where(_ => random.Next(4) > 0).OrderBy(_ => random.Next()).ToArray();
            long[] wants = asked.Select(_ => random.Next(5) == 0 ? 0 : (long)(random.NextDouble() * perUnit * 1.3)).ToArray();
            int action = random.Next(20);
            long leaseMs = action == 0 ? 0 : 3_600_000; // 0: the engine leaves (or, asking, dies: its grants stay without a lease)

            var args = new List<RedisValue> { engine, leaseMs, total, perUnit };
            for (int i = 0; i < asked.Length; i++)
            {
                args.Add(asked[i]);
                args.Add(wants[i]);
            }

            long[] granted = (long[])(await db.ScriptEvaluateAsync(SharedBudgetScript.Source, [Key], [.. args]))!;
            long[] expected = model.Ask(engine, leaseMs > 0, asked, wants);
            Assert.Equal(expected, granted);

            Dictionary<string, long> grants = (await db.HashGetAllAsync(Key))
                .Where(f => !((string)f.Name!).EndsWith("|lease", StringComparison.Ordinal))
                .ToDictionary(f => (string)f.Name!, f => (long)f.Value);
            Assert.Equal(model.Grants.Where(g => g.Value > 0).OrderBy(g => g.Key, StringComparer.Ordinal), grants.OrderBy(g => g.Key, StringComparer.Ordinal));
            Assert.True(grants.Values.Sum() <= total, $"step {step}: the hash holds {grants.Values.Sum()}, more than the total {total}");
            Assert.True(model.LiveSum() <= total, $"step {step}: live grants {model.LiveSum()} pass the total {total}");
            foreach (string unit in units)
            {
                Assert.True(model.LiveSum(unit) <= perUnit, $"step {step}: live grants on {unit} pass the unit budget {perUnit}");
            }
        }
    }

    /// <summary>The budget as the docs describe it, kept in a dictionary.</summary>
    private sealed class BudgetModel(long total, long perUnit)
    {
        private readonly HashSet<string> _leased = new(StringComparer.Ordinal);

        public Dictionary<string, long> Grants { get; } = new(StringComparer.Ordinal);

        public long LiveSum(string? unit = null) =>
            Grants.Where(g => _leased.Contains(g.Key.Split('|')[0]) && (unit is null || g.Key.Split('|')[1] == unit)).Sum(g => g.Value);

        public long[] Ask(string me, bool renew, string[] units, long[] wants)
        {
            // Grants of engines without a lease go back to the budget.
            foreach (string field in Grants.Keys.Where(f => f.Split('|')[0] is var e && e != me && !_leased.Contains(e)).ToList())
            {
                Grants.Remove(field);
            }

            foreach (string field in Grants.Keys.Where(f => f.StartsWith(me + "|", StringComparison.Ordinal) && !units.Contains(f.Split('|')[1])).ToList())
            {
                Grants.Remove(field);
            }

            long others = Grants.Where(g => !g.Key.StartsWith(me + "|", StringComparison.Ordinal)).Sum(g => g.Value);
            long[] result = new long[units.Length];
            for (int i = 0; i < units.Length; i++)
            {
                result[i] = Math.Min(wants[i], Grants.GetValueOrDefault($"{me}|{units[i]}"));
            }

            long free = total - others - result.Sum();
            for (int i = 0; i < units.Length; i++)
            {
                long othersHere = Grants.Where(g => !g.Key.StartsWith(me + "|", StringComparison.Ordinal) && g.Key.EndsWith("|" + units[i], StringComparison.Ordinal)).Sum(g => g.Value);
                long more = Math.Min(Math.Min(wants[i] - result[i], perUnit - othersHere - result[i]), free);
                if (wants[i] > result[i] && free > 0 && more > 0)
                {
                    result[i] += more;
                    free -= more;
                }

                Grants[$"{me}|{units[i]}"] = result[i];
            }

            foreach (string zero in Grants.Where(g => g.Value == 0).Select(g => g.Key).ToList())
            {
                Grants.Remove(zero);
            }

            if (renew)
            {
                _leased.Add(me);
            }
            else
            {
                _leased.Remove(me);
            }

            return result;
        }
    }
}
