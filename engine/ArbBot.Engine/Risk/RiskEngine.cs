using ArbBot.Abstractions.Strategies;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Execution.Alerts;
using ArbBot.Engine.Execution;
using Microsoft.Extensions.Logging;

namespace ArbBot.Engine.Risk;

/// <summary>
/// Where every risk decision lives. Each intent group passes the pre-trade checks in their fixed
/// order (<see cref="Checks"/>) before any of its orders is sent; a group that reduces risk runs only
/// the checks that say they apply to it. The kill switch, the loss limits and the venues' circuit
/// breakers are kept here too, and every refusal is counted under its <see cref="RejectReason"/>.
/// Kernel thread.
/// </summary>
public sealed class RiskEngine
{
    private readonly IRiskCheck[] _checks;
    private readonly RiskRequest _request = new();
    private readonly Dictionary<string, long> _rejections = new(StringComparer.Ordinal);
    private readonly RejectionLog _rejectionLog;
    private readonly AlertSink _alerts;
    private readonly TimeProvider _clock;
    private long _flattenedFor;

    /// <summary>Creates the engine over its checks, in the order they run.</summary>
    public RiskEngine(RiskLimits limits, IReadOnlyList<IRiskCheck> checks, KillSwitch kill, AlertSink alerts, ILogger logger, TimeProvider clock)
    {
        Limits = limits;
        _checks = checks.ToArray();
        Kill = kill;
        _alerts = alerts;
        _clock = clock;
        Losses = new LossLimits(limits, kill);
        _rejectionLog = new RejectionLog(logger);
    }

    /// <summary>The limits.</summary>
    public RiskLimits Limits { get; }

    /// <summary>The checks, in the order they run.</summary>
    public IReadOnlyList<IRiskCheck> Checks => _checks;

    /// <summary>The kill switch.</summary>
    public KillSwitch Kill { get; }

    /// <summary>The loss limits (kill triggers on results).</summary>
    public LossLimits Losses { get; }

    /// <summary>Cash per venue (<c>insufficient_balance</c>); null when no venue is limited.</summary>
    public VenueCash? Cash { get; set; }

    /// <summary>What reconciliation with the venues allows (<c>unreconciled</c>, <c>position_mismatch</c>); null in paper mode.</summary>
    public AccountGate? Account { get; set; }

    /// <summary>Rejections so far, by reason.</summary>
    public IReadOnlyDictionary<string, long> Rejections => _rejections;

    /// <summary>The last rejection: reason and detail.</summary>
    public string LastRejection { get; private set; } = "";

    /// <summary>The group last checked and what the checks found about it (valid until the next check; kernel thread).</summary>
    public RiskRequest LastRequest => _request;

    /// <summary>Total rejections.</summary>
    public long RejectedTotal { get; private set; }

    /// <summary>
    /// Runs the checks on a group. Returns null when it may go, else the reason (counted and logged,
    /// a few lines a minute) and a sentence in <paramref name="detail"/>.
    /// </summary>
    public string? Check(IntentGroup group, int eventIndex, long now, long nowMs, out string detail)
    {
        _request.Reset(group, eventIndex, now, nowMs);
        foreach (IRiskCheck check in _checks)
        {
            if (group.ReducesRisk && !check.AppliesToRiskReducing)
            {
                continue;
            }

            if (check.Check(_request, out detail) is { } reason)
            {
                Reject(group, reason, detail, nowMs);
                return reason;
            }
        }

        detail = "";
        return null;
    }

    /// <summary>Counts (and logs) a refusal decided outside the checks: a duplicate in flight, a reused id, winding down.</summary>
    public void Reject(IntentGroup group, string reason, string detail, long nowMs)
    {
        LastRejection = $"{reason}: {detail}";
        RejectedTotal++;
        _rejections[reason] = _rejections.TryGetValue(reason, out long n) ? n + 1 : 1;
        _rejectionLog.Log(group, reason, detail, nowMs);
    }

    /// <summary>
    /// An order a venue refused or an executor failed: counts toward that venue's circuit breaker,
    /// and alerts when the breaker opens (new orders there halt for <c>breaker_cooldown</c>).
    /// </summary>
    public void OrderFailed(ExecutionRoute route, string reason)
    {
        route.Errors++;
        if (route.Breaker.RecordError(_clock.GetTimestamp()))
        {
            _alerts.Raise("error", "breaker", null,
                $"venue {route.Venue}: circuit breaker open after {route.Breaker.ConsecutiveErrors} errors in a row (last: {reason}); new orders halted for {Limits.BreakerCooldown.TotalSeconds:0} s",
                _clock.GetUtcNow().ToUnixTimeMilliseconds());
        }
    }

    /// <summary>An order a venue took or filled: its breaker's error run ends.</summary>
    public static void OrderSucceeded(ExecutionRoute route) => route.Breaker.RecordSuccess();

    /// <summary>
    /// Whether the kill switch asks for a flatten not yet carried out (once per engagement).
    /// The execution engine then cancels and unwinds.
    /// </summary>
    public bool TakeFlattenRequest(out string reason)
    {
        if (Kill.State is { Flatten: true } kill && kill.SetMs != _flattenedFor)
        {
            _flattenedFor = kill.SetMs;
            reason = kill.Reason;
            return true;
        }

        reason = "";
        return false;
    }
}
