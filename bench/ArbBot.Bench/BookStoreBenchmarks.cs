using ArbBot.Abstractions.Events;
using ArbBot.Engine.Books;
using BenchmarkDotNet.Attributes;

namespace ArbBot.Bench;

/// <summary>BenchmarkDotNet view of the same workload: mean time and allocations per delta.</summary>
[MemoryDiagnoser]
public class BookStoreBenchmarks
{
    private const int Batch = 4096;
    private BookStore _store = null!;
    private BookDelta[] _deltas = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var workload = new DeltaWorkload(200, 1 << 20, seed: 7);
        _store = workload.Store;
        _deltas = workload.Deltas;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public int ApplyDelta()
    {
        int applied = 0;
        for (int i = 0; i < Batch; i++)
        {
            // Wrapping around replays deltas against a book that has moved on: sequence checks then
            // fail and books go stale, which is cheaper than a real apply; restart the store instead.
            if (_next == _deltas.Length)
            {
                Setup();
                _next = 0;
            }

            applied += _store.ApplyDelta(_deltas[_next++], 0) == ApplyResult.Applied ? 1 : 0;
        }

        return applied;
    }
}
