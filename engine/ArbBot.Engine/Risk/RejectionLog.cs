using ArbBot.Abstractions.Strategies;
using Microsoft.Extensions.Logging;

namespace ArbBot.Engine.Risk;

/// <summary>
/// Strategies re-emit on every book update: a few rejections a minute are logged, all are counted;
/// a reason not seen yet this minute is always logged (a new cause is never hidden by an old one).
/// </summary>
internal sealed class RejectionLog(ILogger logger)
{
    private const int LinesPerMinute = 10;
    private readonly HashSet<string> _reasonsThisMinute = new(StringComparer.Ordinal);
    private long _minute = -1;
    private int _linesThisMinute;

    public void Log(IntentGroup group, string reason, string detail, long nowMs)
    {
        long minute = nowMs / 60_000;
        if (minute != _minute)
        {
            _minute = minute;
            _linesThisMinute = 0;
            _reasonsThisMinute.Clear();
        }

        bool newReason = _reasonsThisMinute.Add(reason);
        if (_linesThisMinute++ < LinesPerMinute || newReason)
        {
            logger.LogInformation("risk rejected {Strategy} {Event} ({Reason}): {Detail}", group.Strategy, group.EventId, reason, detail);
        }
    }
}
