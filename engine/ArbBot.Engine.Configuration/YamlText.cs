using System.Text;
using ArbBot.Engine.Configuration;

namespace ArbBot.Engine.Pairing;

/// <summary>Writing the reviewed files (pairs, groups) by hand-built YAML: every value quoted, so any id or sentence reads back as it was.</summary>
internal static class YamlText
{
    /// <summary>Writes a reviewed file whole: to a temporary file first, then renamed over it, so a running engine never reads half a file.</summary>
    public static void SaveWhole(string path, string text)
    {
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temporary = full + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, full, overwrite: true);
    }

    /// <summary>A double-quoted YAML scalar.</summary>
    public static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";

    /// <summary>A leg's value: its market id, or <c>{ market, yes, no }</c> where outcomes have their own ids.</summary>
    public static string Leg(PairLegConfig leg) => leg.YesId is null && leg.NoId is null
        ? Quote(leg.Market)
        : $"{{ market: {Quote(leg.Market)}, yes: {Quote(leg.YesId ?? "")}, no: {Quote(leg.NoId ?? "")} }}";

    /// <summary>A list of sentences under <paramref name="key"/>, or <c>key: []</c>.</summary>
    public static void List(string indent, string key, IReadOnlyList<string> items, StringBuilder text)
    {
        if (items.Count == 0)
        {
            text.Append(indent).Append(key).Append(": []\n");
            return;
        }

        text.Append(indent).Append(key).Append(":\n");
        foreach (string item in items)
        {
            text.Append(indent).Append("  - ").Append(Quote(item)).Append('\n');
        }
    }
}
