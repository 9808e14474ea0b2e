using ArbBot.Abstractions.FixedPoint;

namespace ArbBot.Abstractions.Strategies;

/// <summary>
/// A strategy's <c>parameters:</c> from arbbot.yaml. Read them in <see cref="IStrategy.Initialize"/>
/// with a default; a value that does not parse throws <see cref="StrategyParameterException"/>,
/// which the engine reports with the config file and line.
/// </summary>
public sealed class StrategyParameters
{
    private readonly IReadOnlyDictionary<string, string> _values;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    /// <summary>Wraps raw values.</summary>
    public StrategyParameters(IReadOnlyDictionary<string, string> values)
    {
        _values = values;
    }

    /// <summary>Keys given in the config that the strategy never read (likely typos; the engine warns about them).</summary>
    public IEnumerable<string> Unread => _values.Keys.Where(k => !_read.Contains(k));

    /// <summary>A dollar price such as "0.01".</summary>
    public Price Price(string key, Price defaultValue) =>
        Read(key, defaultValue, (string text, out Price value) => FixedPoint.Price.TryParse(text.AsSpan(), out value), "a dollar price such as 0.01");

    /// <summary>A dollar amount such as "0.50".</summary>
    public Money Dollars(string key, Money defaultValue) =>
        Read(key, defaultValue, (string text, out Money value) => Money.TryParse(text.AsSpan(), out value), "a dollar amount such as 0.50");

    /// <summary>A contract count such as "100".</summary>
    public Quantity Contracts(string key, Quantity defaultValue) =>
        Read(key, defaultValue, (string text, out Quantity value) => Quantity.TryParse(text.AsSpan(), out value) && value.Micros >= 0, "a non-negative contract count");

    /// <summary>A whole number.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "Part of the strategy contract; scripts already call it.")]
    public long Integer(string key, long defaultValue) =>
        Read(key, defaultValue, (string text, out long value) => long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out value), "a whole number");

    /// <summary>true or false.</summary>
    public bool Boolean(string key, bool defaultValue) =>
        Read(key, defaultValue, (string text, out bool value) => bool.TryParse(text, out value), "true or false");

    /// <summary>Any text.</summary>
    public string Text(string key, string defaultValue)
    {
        _read.Add(key);
        return _values.TryGetValue(key, out string? text) ? text : defaultValue;
    }

    private delegate bool Parser<T>(string text, out T value);

    private T Read<T>(string key, T defaultValue, Parser<T> parse, string expected)
    {
        _read.Add(key);
        if (!_values.TryGetValue(key, out string? text))
        {
            return defaultValue;
        }

        return parse(text, out T value) ? value : throw new StrategyParameterException(key, $"must be {expected}, was \"{text}\"");
    }
}
