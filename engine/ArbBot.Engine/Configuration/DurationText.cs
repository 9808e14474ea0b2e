using System.Globalization;

namespace ArbBot.Engine.Configuration;

/// <summary>Parses the durations used in config and on the command line: 250ms, 30s, 5m, 2h.</summary>
public static class DurationText
{
    /// <summary>Parses a whole number followed by ms, s, m or h.</summary>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        (string suffix, long ms)[] units = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)];
        foreach ((string suffix, long ms) in units)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal)
                && long.TryParse(text.AsSpan(0, text.Length - suffix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out long amount))
            {
                value = TimeSpan.FromMilliseconds(amount * ms);
                return true;
            }
        }

        return false;
    }
}
