using ArbBot.Abstractions.FixedPoint;

namespace ArbBot.Engine.Execution;

/// <summary>What the execution engine counts as it decides (kernel thread; read for the summary).</summary>
internal sealed class ExecutionStats
{
    /// <summary>Attempts started (groups that passed risk).</summary>
    public long Attempts { get; set; }

    /// <summary>Repeated signals dropped while the same attempt was working.</summary>
    public long DuplicatesDropped { get; set; }

    /// <summary>Sum of the realised edge of finished attempts that had one.</summary>
    public Money RealisedEdge { get; set; }

    /// <summary>Sum of the expected edge of those same attempts (to compare with <see cref="RealisedEdge"/>).</summary>
    public Money PredictedEdge { get; set; }

    /// <summary>Finished attempts by status name.</summary>
    public Dictionary<string, long> AttemptsByStatus { get; } = new(StringComparer.Ordinal);
}
