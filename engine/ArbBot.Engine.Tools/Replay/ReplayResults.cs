using ArbBot.Abstractions.FixedPoint;

namespace ArbBot.Engine.Replay;

/// <summary>One leg of an opportunity as the strategy emitted it.</summary>
public sealed record ReplayLeg(string Venue, string Market, string Outcome, string Side, Price Price, Quantity Size);

/// <summary>An opportunity a strategy found (the first intent group of it), and what became of that group.</summary>
public sealed record ReplayOpportunity(long TimeMs, string Strategy, string EventId, long GroupId, Money Edge, Money EdgePerContract, string Reason, IReadOnlyList<ReplayLeg> Legs)
{
    /// <summary>How its attempt ended (filled, unfilled, partially_filled, legged, rejected), or "" if it was not sent.</summary>
    public string Outcome { get; set; } = "";

    /// <summary>The risk reason or realised edge the order manager gave.</summary>
    public string OutcomeDetail { get; set; } = "";
}

/// <summary>An order sent to the paper executor, and where it ended up.</summary>
public sealed record ReplayOrder(long TimeMs, string Venue, string Market, string Outcome, string Side, Price Price, Quantity Size, string TimeInForce, bool PostOnly, string ClientOrderId)
{
    /// <summary>Its last status (accepted, filled, cancelled, rejected...).</summary>
    public string Status { get; set; } = "sent";

    /// <summary>Contracts filled.</summary>
    public Quantity Filled { get; set; }

    /// <summary>Why it was rejected or cancelled, when the executor said.</summary>
    public string? Reason { get; set; }
}

/// <summary>A fill on the paper executor.</summary>
public sealed record ReplayFill(long TimeMs, string Venue, string Market, string Outcome, string Side, Price Price, Quantity Size, Money Fee, bool Maker, string ClientOrderId);

/// <summary>A legged episode and how it ended.</summary>
public sealed record ReplayLegged(string EventId, long StartedMs, long? EndedMs, string Outcome, Quantity Quantity, Money Cost, string Resolution, Money? Loss);

/// <summary>P&amp;L at one moment.</summary>
public sealed record ReplayPnlPoint(long TimeMs, Money Realised, Money LockedIn, Money Unhedged);

/// <summary>Per strategy: calls, errors and what it found and what came of it.</summary>
public sealed record ReplayStrategyStats(string Name, string Version, long Calls, long Errors, long Opportunities, long Groups, IReadOnlyDictionary<string, long> Attempts, Money ExpectedEdge);

/// <summary>Everything a replay produced: the report is made from this.</summary>
public sealed class ReplayResult
{
    /// <summary>The recording's file name.</summary>
    public required string Recording { get; init; }

    /// <summary>Records replayed.</summary>
    public long Records { get; set; }

    /// <summary>Venue events the kernel handled (books, deltas, fills, timers...).</summary>
    public long KernelEvents { get; set; }

    /// <summary>Timestamp of the first and last record (Unix ms).</summary>
    public long FromMs { get; set; }

    /// <summary>Timestamp of the last record (Unix ms).</summary>
    public long ToMs { get; set; }

    /// <summary>Problems met (a truncated file, frames a plugin could not read, unknown markets), with where.</summary>
    public List<string> Warnings { get; } = new();

    /// <summary>Set when the recording had a damaged record and the rest was not replayed (see <see cref="Recording.ISessionSource.Lost"/>).</summary>
    public string? Lost { get; set; }

    /// <summary>Opportunities in the order found.</summary>
    public List<ReplayOpportunity> Opportunities { get; } = new();

    /// <summary>Orders in the order sent.</summary>
    public List<ReplayOrder> Orders { get; } = new();

    /// <summary>Fills in the order received.</summary>
    public List<ReplayFill> Fills { get; } = new();

    /// <summary>Legged episodes.</summary>
    public List<ReplayLegged> Legged { get; } = new();

    /// <summary>P&amp;L over time (a point each time it changed, checked on the kernel timer, and one at the end).</summary>
    public List<ReplayPnlPoint> Pnl { get; } = new();

    /// <summary>Per strategy.</summary>
    public List<ReplayStrategyStats> Strategies { get; } = new();

    /// <summary>The order manager's figures at the end.</summary>
    public Execution.ExecutionSummary? Execution { get; set; }

    /// <summary>Attempts by outcome across strategies.</summary>
    public SortedDictionary<string, long> AttemptOutcomes { get; } = new(StringComparer.Ordinal);
}
