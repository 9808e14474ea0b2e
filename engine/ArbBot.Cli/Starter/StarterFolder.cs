using System.Reflection;
using ArbBot.Engine.Pairing;

namespace ArbBot.Cli.Starter;

/// <summary>
/// What <c>arbbot init</c> writes: the default arbbot.yaml (it runs offline on the simulated
/// venues, and mirrors into Redis when one answers), the shipped strategies, and an empty reviewed
/// pairs file the config points at. The files travel inside arbbot (embedded), so an installed
/// tool has them without a checkout of the repository.
/// </summary>
internal static class StarterFolder
{
    private const string Prefix = "ArbBot.Cli.Starter/";
    private const string PairsFileLine = "\n# Reviewed cross-venue pairs (docs/pairing.md): arbbot markets pair writes them, arbbot markets approve\n# approves them, and the approved ones are added to pairs: above.\npairs_file: pairs.yaml\n";

    /// <summary>The files, by path relative to the folder.</summary>
    public static IReadOnlyDictionary<string, string> Files()
    {
        Assembly assembly = typeof(StarterFolder).Assembly;
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
            files[name[Prefix.Length..].Replace('\\', '/')] = reader.ReadToEnd();
        }

        files["arbbot.yaml"] = files["arbbot.yaml"].TrimEnd('\n') + "\n" + PairsFileLine;
        files["pairs.yaml"] = PairsFile.Format([]);
        return files;
    }

    /// <summary>
    /// Writes the files into <paramref name="folder"/> (made if missing). A file already there is left
    /// alone unless <paramref name="overwrite"/>; returns what was written and what was kept.
    /// </summary>
    public static (IReadOnlyList<string> Written, IReadOnlyList<string> Kept) Write(string folder, bool overwrite)
    {
        var written = new List<string>();
        var kept = new List<string>();
        foreach ((string relative, string text) in Files())
        {
            string path = Path.Combine(folder, relative);
            if (File.Exists(path) && !overwrite)
            {
                kept.Add(relative);
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
            written.Add(relative);
        }

        return (written, kept);
    }
}
