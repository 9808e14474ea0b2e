using System.Globalization;
using System.Text.Json;

namespace ArbBot.Bench;

/// <summary>The figures of a <c>quick</c> run, each next to its target: printed as one table and written as JSON.</summary>
internal sealed class QuickReport
{
    private readonly List<Row> _rows = new();
    private readonly Dictionary<string, double> _kept = new(StringComparer.Ordinal);

    /// <summary>A figure one benchmark keeps for another to compare with (our p99 against the baseline's).</summary>
    public void Keep(string name, double value) => _kept[name] = value;

    public double? Kept(string name) => _kept.TryGetValue(name, out double v) ? v : null;

    /// <summary>A figure; <paramref name="met"/> is null where there is no target to meet (reported only).</summary>
    public void Add(string figure, double value, string unit, string target, bool? met) =>
        _rows.Add(new Row(figure, value, unit, target, met));

    /// <summary>A figure that could not be measured here, and why.</summary>
    public void Missing(string figure, string target, string why) =>
        _rows.Add(new Row(figure, null, "n/a", $"{target}; {why}", null));

    public void Print(TextWriter output)
    {
        int width = _rows.Max(r => r.Figure.Length);
        output.WriteLine();
        output.WriteLine($"{"figure".PadRight(width)}  {"value",16}  {"target",-36}  met");
        foreach (Row r in _rows)
        {
            string value = r.Value is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v:#,0.##} {r.Unit}") : r.Unit;
            string met = r.Met switch { true => "yes", false => "NO", null => "-" };
            output.WriteLine($"{r.Figure.PadRight(width)}  {value,16}  {r.Target,-36}  {met}");
        }

        output.WriteLine($"{_rows.Count(r => r.Met == true)} met, {_rows.Count(r => r.Met == false)} missed, {_rows.Count(r => r.Met is null)} reported without a target or not measurable here");
    }

    public void Write(string outputDirectory)
    {
        Directory.CreateDirectory(outputDirectory);
        string file = Path.Combine(outputDirectory, "quick.json");
        File.WriteAllText(file, JsonSerializer.Serialize(new
        {
            machine = new { Environment.ProcessorCount, os = Environment.OSVersion.ToString(), runtime = Environment.Version.ToString() },
            taken_utc = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            figures = _rows.Select(r => new { figure = r.Figure, value = r.Value, unit = r.Unit, target = r.Target, met = r.Met }),
        }, BenchJson.Indented));
        Console.WriteLine($"written {file}");
    }

    private sealed record Row(string Figure, double? Value, string Unit, string Target, bool? Met);
}
