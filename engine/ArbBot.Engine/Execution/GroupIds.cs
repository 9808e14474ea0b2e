namespace ArbBot.Engine.Execution;

/// <summary>
/// Intent group ids, and so client order ids (<c>arb-{group}-{leg}</c>): Unix ms times 1000 at
/// start-up, then counting up, and never below the highest id in the fill log, so a restart
/// (even with the clock set back) never reuses an id. Kernel thread only.
/// </summary>
public sealed class GroupIds
{
    private long _last;

    /// <summary>Starts from the clock.</summary>
    public GroupIds(TimeProvider clock)
    {
        _last = clock.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
    }

    /// <summary>The last id handed out.</summary>
    public long Last => _last;

    /// <summary>The next id.</summary>
    public long Next() => ++_last;

    /// <summary>Makes every later id greater than <paramref name="used"/>.</summary>
    public void EnsureAbove(long used)
    {
        if (used > _last)
        {
            _last = used;
        }
    }
}
