using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Sizing;
using Xunit.Abstractions;

namespace ArbBot.Tests.Sizing;

/// <summary>
/// The edge sizer against <see cref="BruteForceSizingOracle"/> on random books, fees and rules: the
/// same size, the same edge and the same cost to the micro-dollar, in every case.
/// </summary>
public sealed class EdgeSizerPropertyTests
{
    private const int Cases = 12_000;
    private readonly ITestOutputHelper _output;

    public EdgeSizerPropertyTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void The_sizer_finds_the_size_with_the_most_edge_as_a_brute_force_does()
    {
        var failures = new List<string>();
        int traded = 0, insideLevel = 0, maxEvaluations = 0, noBaskets = 0;
        long evaluations = 0;
        for (int seed = 1; seed <= Cases; seed++)
        {
            (SizingCase c, SizingLeg[] legs, SizingRules rules) = RandomSizingCases.Build(seed);
            (long contracts, long edge, long cost) = BruteForceSizingOracle.Best(c);
            var walks = new BookWalk[legs.Length];
            SetSizing found = EdgeSizer.Find(legs, rules, walks, Money.FromMicros(c.PayoutMicros));
            noBaskets += c.PayoutMicros > 1_000_000 && contracts > 0 ? 1 : 0;
            evaluations += found.Evaluations;
            maxEvaluations = Math.Max(maxEvaluations, found.Evaluations);
            long foundContracts = found.Quantity.Micros / 1_000_000;
            if (foundContracts != contracts || (contracts > 0 && (found.Edge.Micros != edge || found.Cost.Micros != cost)) || found.Quantity.Micros % 1_000_000 != 0)
            {
                failures.Add($"{c}\n  oracle {contracts} contracts, edge {edge / 1e6}, cost {cost / 1e6}; sizer {found.Quantity} contracts, edge {found.Edge.Micros / 1e6}, cost {found.Cost.Micros / 1e6}");
                continue;
            }

            if (contracts > 0)
            {
                traded++;
                bool atBoundary = c.Legs.Any(l => Cumulative(l).Contains(contracts * 1_000_000));
                insideLevel += atBoundary ? 0 : 1;
                for (int i = 0; i < legs.Length; i++)
                {
                    Assert.Equal(found.Quantity, walks[i].Quantity); // every leg's walk fills the size
                }
            }
        }

        _output.WriteLine($"{Cases} cases: {traded} trade ({noBaskets} NO baskets), {insideLevel} of them at a size inside a level; {failures.Count} differ; evaluations mean {(double)evaluations / Cases:0.0}, max {maxEvaluations}");
        Assert.True(failures.Count == 0, $"{failures.Count} of {Cases} cases differ from the brute force; first:\n" + string.Join("\n", failures.Take(5)));
        Assert.True(traded > Cases / 5, $"only {traded} of {Cases} random cases trade: the generator no longer tests much");
        Assert.True(insideLevel > Cases / 50, $"only {insideLevel} answers fall inside a level");
        Assert.True(noBaskets > Cases / 50, $"only {noBaskets} NO baskets trade");
    }

    private static HashSet<long> Cumulative(SizingCaseLeg leg)
    {
        var ends = new HashSet<long>();
        long sum = 0;
        foreach ((long _, long quantity) in leg.Asks)
        {
            sum += quantity;
            ends.Add(sum);
        }

        return ends;
    }
}
