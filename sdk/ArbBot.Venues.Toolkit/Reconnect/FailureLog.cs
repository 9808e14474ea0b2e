namespace ArbBot.Venues.Toolkit.Reconnect;

/// <summary>A failure that repeats (a venue down for an hour) is told often enough to be seen and not so often that it buries the log.</summary>
public static class FailureLog
{
    /// <summary>Whether the <paramref name="failures"/>th failure in a row gets a log line: the first three, then every twentieth.</summary>
    public static bool ShouldTell(int failures) => failures <= 3 || failures % 20 == 0;

    /// <summary>Whether the <paramref name="count"/>th skipped message (malformed, unknown) gets a log line: the first ten, then every thousandth.</summary>
    public static bool ShouldTellSkipped(long count) => count <= 10 || count % 1000 == 0;
}
