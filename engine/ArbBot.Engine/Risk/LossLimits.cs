using ArbBot.Abstractions.FixedPoint;
using ArbBot.Engine.Configuration;

namespace ArbBot.Engine.Risk;

/// <summary>
/// The kill triggers on results: the day's loss (realised plus what the unhedged positions would
/// lose if sold now) past <c>daily_loss_usd</c>, and <c>max_consecutive_losses</c> losing attempts
/// or legged episodes in a row. Either engages the kill switch (halt). Kernel thread.
/// </summary>
public sealed class LossLimits(RiskLimits limits, KillSwitch kill)
{
    private int _lossesInRow;

    /// <summary>Losing results in a row now.</summary>
    public int LossesInRow => _lossesInRow;

    /// <summary>Counts one finished result (a pair's realised edge, a legged episode's loss).</summary>
    public void CountOutcome(Money pnl, string what)
    {
        if (pnl.Micros >= 0)
        {
            _lossesInRow = 0;
            return;
        }

        _lossesInRow++;
        if (_lossesInRow >= limits.MaxConsecutiveLosses)
        {
            kill.Engage(false, $"{_lossesInRow} losing attempts in a row (max_consecutive_losses {limits.MaxConsecutiveLosses}); last: {what}", "engine");
        }
    }

    /// <summary>Checks the day's loss (each timer tick).</summary>
    public void CheckDailyLoss(Money realisedToday, Money unhedgedMarkToMarket)
    {
        if (kill.IsEngaged)
        {
            return;
        }

        Money loss = -(realisedToday + unhedgedMarkToMarket);
        if (loss > limits.DailyLossUsd)
        {
            kill.Engage(false, $"daily loss ${loss} passed daily_loss_usd ${limits.DailyLossUsd}", "engine");
        }
    }
}
