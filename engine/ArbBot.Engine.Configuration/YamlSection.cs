using ArbBot.Abstractions.FixedPoint;
using YamlDotNet.RepresentationModel;

namespace ArbBot.Engine.Configuration;

/// <summary>
/// Reads one YAML mapping with the strictness a trading config needs: every key read is
/// recorded, and <see cref="RejectUnknownKeys"/> turns any other key into an error naming its
/// line. Every error names file, line and the full dotted key.
/// </summary>
internal sealed class YamlSection
{
    // Keys that would put a secret into the file. The fix is always to name an environment variable or a key file instead.
    private static readonly string[] s_secretWords = ["password", "secret", "private_key", "api_key", "passphrase", "token"];

    private readonly YamlMappingNode _node;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    public YamlSection(string file, string path, YamlMappingNode node)
    {
        File = file;
        Path = path;
        _node = node;
        foreach (KeyValuePair<YamlNode, YamlNode> entry in node.Children)
        {
            string key = ((YamlScalarNode)entry.Key).Value ?? "";
            if (IsSecretKey(key))
            {
                throw Error(entry.Key, $"{Qualify(key)} looks like a secret; secrets never go in the config file: set {key}_env (an environment variable name) or {key}_file (a key file path) instead");
            }
        }
    }

    public string File { get; }

    public string Path { get; }

    public long Line => _node.Start.Line;

    public static bool IsSecretKey(string key)
    {
        string lower = key.ToLowerInvariant();
        if (lower.EndsWith("_env", StringComparison.Ordinal) || lower.EndsWith("_file", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (string word in s_secretWords)
        {
            if (lower == word || lower.EndsWith("_" + word, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    public string Qualify(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    public ConfigException Error(YamlNode at, string message) => new(File, at.Start.Line, message);

    public ConfigException Error(string message) => new(File, _node.Start.Line, message);

    public YamlNode? Find(string key)
    {
        _known.Add(key);
        foreach (KeyValuePair<YamlNode, YamlNode> entry in _node.Children)
        {
            if (entry.Key is YamlScalarNode { Value: { } name } && name == key)
            {
                return entry.Value;
            }
        }

        return null;
    }

    public string RequireString(string key) =>
        OptionalString(key) ?? throw Error($"{Qualify(key)} is required");

    public string? OptionalString(string key)
    {
        YamlNode? node = Find(key);
        if (node is null)
        {
            return null;
        }

        if (node is not YamlScalarNode scalar || string.IsNullOrEmpty(scalar.Value))
        {
            throw Error(node, $"{Qualify(key)} must be a non-empty text value");
        }

        return scalar.Value;
    }

    /// <summary>A text value that may be empty (<c>""</c>); null when the key is absent.</summary>
    public string? OptionalText(string key)
    {
        YamlNode? node = Find(key);
        return node switch
        {
            null => null,
            YamlScalarNode scalar => scalar.Value ?? "",
            _ => throw Error(node, $"{Qualify(key)} must be a text value"),
        };
    }

    public long Integer(string key, long defaultValue, long min, long max)
    {
        YamlNode? node = Find(key);
        if (node is null)
        {
            return defaultValue;
        }

        string text = Scalar(node, key);
        if (!long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out long value)
            || value < min || value > max)
        {
            throw Error(node, $"{Qualify(key)} must be an integer from {min} to {max}, was \"{text}\"");
        }

        return value;
    }

    public bool Boolean(string key, bool defaultValue)
    {
        YamlNode? node = Find(key);
        if (node is null)
        {
            return defaultValue;
        }

        string text = Scalar(node, key);
        return text switch
        {
            "true" or "yes" or "on" => true,
            "false" or "no" or "off" => false,
            _ => throw Error(node, $"{Qualify(key)} must be true or false, was \"{text}\""),
        };
    }

    public Money Dollars(string key, Money defaultValue)
    {
        YamlNode? node = Find(key);
        if (node is null)
        {
            return defaultValue;
        }

        string text = Scalar(node, key);
        if (!Money.TryParse(text, out Money value) || value.Micros <= 0)
        {
            throw Error(node, $"{Qualify(key)} must be a positive dollar amount (at most 6 decimals), was \"{text}\"");
        }

        return value;
    }

    /// <summary>A non-negative decimal such as a fee rate or multiplier, exact to six places.</summary>
    public Price Fraction(string key, Price defaultValue, bool allowAboveOne)
    {
        YamlNode? node = Find(key);
        if (node is null)
        {
            return defaultValue;
        }

        string text = Scalar(node, key);
        if (!Price.TryParse(text.AsSpan(), out Price value) || value.Micros < 0 || (!allowAboveOne && value.Micros > 1_000_000))
        {
            throw Error(node, $"{Qualify(key)} must be a decimal {(allowAboveOne ? "of 0 or more" : "from 0 to 1")} (at most 6 decimals), was \"{text}\"");
        }

        return value;
    }

    public TimeSpan Duration(string key, TimeSpan defaultValue)
    {
        YamlNode? node = Find(key);
        if (node is null)
        {
            return defaultValue;
        }

        string text = Scalar(node, key);
        return DurationText.TryParse(text, out TimeSpan value) && value > TimeSpan.Zero
            ? value
            : throw Error(node, $"{Qualify(key)} must be a positive duration such as 250ms, 30s or 5m, was \"{text}\"");
    }

    /// <summary>A positive duration, or <c>off</c> / <c>0</c> for zero (a feature turned off).</summary>
    public TimeSpan DurationOrOff(string key, TimeSpan defaultValue)
    {
        YamlNode? node = Find(key);
        return node is not null && Scalar(node, key) is "off" or "0" ? TimeSpan.Zero : Duration(key, defaultValue);
    }

    public YamlSection? OptionalSection(string key)
    {
        YamlNode? node = Find(key);
        return node switch
        {
            null => null,
            YamlMappingNode map => new YamlSection(File, Qualify(key), map),
            YamlScalarNode { Value: null or "" or "~" } => null,
            _ => throw Error(node, $"{Qualify(key)} must be a mapping of keys to values"),
        };
    }

    public IReadOnlyList<YamlNode> Sequence(string key)
    {
        YamlNode? node = Find(key);
        return node switch
        {
            null => [],
            YamlSequenceNode seq => seq.Children.ToList(),
            YamlScalarNode { Value: null or "" or "~" } => [],
            _ => throw Error(node, $"{Qualify(key)} must be a list"),
        };
    }

    /// <summary>A list of non-empty strings (<c>[a, b]</c> or one per line); absent is empty.</summary>
    public IReadOnlyList<string> StringList(string key)
    {
        var values = new List<string>();
        foreach (YamlNode node in Sequence(key))
        {
            values.Add(node is YamlScalarNode { Value: { Length: > 0 } value }
                ? value
                : throw Error(node, $"{Qualify(key)} entries must be text"));
        }

        return values;
    }

    /// <summary>A mapping of plain keys to scalar values (plugin settings, strategy parameters), with each key's line.</summary>
    public IReadOnlyList<(string Key, string Value, long Line)> ScalarMap(string key)
    {
        YamlSection? section = OptionalSection(key);
        if (section is null)
        {
            return [];
        }

        var entries = new List<(string, string, long)>();
        foreach (KeyValuePair<YamlNode, YamlNode> entry in section._node.Children)
        {
            string name = ((YamlScalarNode)entry.Key).Value ?? "";
            if (entry.Value is not YamlScalarNode scalar)
            {
                throw section.Error(entry.Value, $"{section.Qualify(name)} must be a single value");
            }

            entries.Add((name, scalar.Value ?? "", entry.Key.Start.Line));
        }

        return entries;
    }

    /// <summary>Every key of the mapping with its value node, marking all of them as known.</summary>
    public IReadOnlyList<(string Key, YamlNode KeyNode, YamlNode Value)> Entries()
    {
        var entries = new List<(string, YamlNode, YamlNode)>();
        foreach (KeyValuePair<YamlNode, YamlNode> entry in _node.Children)
        {
            string key = ((YamlScalarNode)entry.Key).Value ?? "";
            _known.Add(key);
            entries.Add((key, entry.Key, entry.Value));
        }

        return entries;
    }

    public void RejectUnknownKeys()
    {
        foreach (KeyValuePair<YamlNode, YamlNode> entry in _node.Children)
        {
            string key = ((YamlScalarNode)entry.Key).Value ?? "";
            if (!_known.Contains(key))
            {
                string expected = string.Join(", ", _known.Order(StringComparer.Ordinal));
                throw Error(entry.Key, $"unknown key {Qualify(key)} (expected one of: {expected})");
            }
        }
    }

    private string Scalar(YamlNode node, string key) =>
        node is YamlScalarNode { Value: { } value } ? value : throw Error(node, $"{Qualify(key)} must be a single value");
}
