namespace ArbBot.Engine.Replay.Sweep;

/// <summary>One parameter of one strategy and the values a sweep tries for it (<c>--sweep strategy.param=a,b,c</c>).</summary>
/// <param name="Strategy">The strategy's name in the config.</param>
/// <param name="Parameter">The parameter's key.</param>
/// <param name="Values">The values, as the config would write them, in the order given.</param>
public sealed record SweepAxis(string Strategy, string Parameter, IReadOnlyList<string> Values)
{
    /// <summary>Most values one axis takes (a typo such as a pasted column should not start thousands of replays).</summary>
    public const int MaxValues = 100;

    /// <summary>The axis's name: <c>strategy.param</c>.</summary>
    public string Name => $"{Strategy}.{Parameter}";

    /// <summary>Reads <c>strategy.param=a,b,c</c>; a malformed one throws <see cref="FormatException"/> saying what is wrong.</summary>
    public static SweepAxis Parse(string text)
    {
        int equals = text.IndexOf('=', StringComparison.Ordinal);
        string name = equals < 0 ? text : text[..equals];
        int dot = name.IndexOf('.', StringComparison.Ordinal);
        if (equals < 0 || dot <= 0 || dot == name.Length - 1)
        {
            throw new FormatException($"--sweep \"{text}\": expected strategy.parameter=value,value,... (e.g. dutch_book.min_edge_usd=0.01,0.05)");
        }

        string[] values = text[(equals + 1)..].Split(',', StringSplitOptions.TrimEntries);
        if (values.Any(v => v.Length == 0))
        {
            throw new FormatException($"--sweep \"{text}\": a value is empty");
        }

        if (values.Length > MaxValues)
        {
            throw new FormatException($"--sweep \"{text}\": {values.Length} values, at most {MaxValues}");
        }

        if (values.Distinct(StringComparer.Ordinal).Count() != values.Length)
        {
            throw new FormatException($"--sweep \"{text}\": a value is repeated");
        }

        return new SweepAxis(name[..dot].Trim(), name[(dot + 1)..].Trim(), values);
    }
}
