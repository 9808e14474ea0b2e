namespace ArbBot.IntegrationTests.Replay;

/// <summary>
/// The replay tests start many short `arbbot` processes (record, replay, convert) that each
/// compile and JIT for a second or two: they run on their own after the other tests, so that
/// burst of CPU does not starve the tests that measure time (drift checks, strategy budgets).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReplayCollection
{
    public const string Name = "replay processes";
}
