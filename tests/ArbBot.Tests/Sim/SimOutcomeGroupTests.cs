using ArbBot.Abstractions.Markets;
using ArbBot.Venues.Sim.Model;

namespace ArbBot.Tests.Sim;

/// <summary>The simulated venues' outcome groups: fair values that share $1, one winner per round, market ids.</summary>
public sealed class SimOutcomeGroupTests
{
    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(10)]
    public void A_groups_fair_values_always_sum_to_one_dollar_and_exactly_one_outcome_wins_each_round(int outcomes)
    {
        const int events = 4, groups = 3;
        var fair = new FairValue(42, events, jumpsPerMinute: 60, jumpSizeMicros: 80_000, outcomes, groupMovesPerMinute: 6);
        var random = new Random(outcomes);
        for (int i = 0; i < 5_000; i++)
        {
            long at = 1_767_225_600_000 + random.NextInt64(0, 86_400_000);
            for (int g = 0; g < groups; g++)
            {
                int first = events + (g * outcomes);
                long[] values = Enumerable.Range(first, outcomes).Select(k => fair.At(k, at)).ToArray();

                // Each share is floored, so the set may fall short of $1 by under a micro-dollar per outcome; a pulse only moves value.
                long sum = values.Sum();
                Assert.InRange(sum, 1_000_000 - outcomes, 1_000_000);
                Assert.All(values, v => Assert.InRange(v, 10_000, 990_000));

                long round = random.NextInt64(0, 1_000_000);
                Outcome[] winners = Enumerable.Range(first, outcomes).Select(k => fair.Winner(k, round, at)).ToArray();
                Assert.Single(winners, w => w == Outcome.Yes);
            }
        }
    }

    [Fact]
    public void Group_market_ids_follow_the_events_and_read_back()
    {
        SimSettings settings = SimSettings.Parse(new Dictionary<string, string> { ["market_prefix"] = "SIMK", ["events"] = "2", ["groups"] = "2", ["group_outcomes"] = "3" });
        Assert.Equal(8, settings.TotalMarkets);
        string[] ids = Enumerable.Range(0, settings.TotalMarkets).Select(settings.MarketId).ToArray();
        Assert.Equal(["SIMK-E01", "SIMK-E02", "SIMK-G01-O1", "SIMK-G01-O2", "SIMK-G01-O3", "SIMK-G02-O1", "SIMK-G02-O2", "SIMK-G02-O3"], ids);
        Assert.Equal(Enumerable.Range(0, 8), ids.Select(settings.EventIndexOf));
        Assert.All(["SIMK-G03-O1", "SIMK-G01-O4", "SIMK-G1-O1", "SIMK-G01-O01", "SIMK-G01", "SIMK-E03", "X", "SIMK", "OTHER-G01-O1"], id => Assert.Equal(-1, settings.EventIndexOf(id)));
    }
}
