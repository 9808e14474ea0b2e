using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ArbBot.Engine.Strategies.Compilation;

namespace ArbBot.Engine.Scripting;

/// <summary>
/// A strategy file and every file it pulls in with <c>#load "helper.csx"</c>, read once. The
/// directives are blanked (not removed) so every line keeps its number, and the files are
/// compiled together as ordinary C#. The hash covers all of them plus the contract version, so
/// a cached build is reused only for exactly the same inputs.
/// </summary>
public sealed partial class ScriptSource : IStrategySource
{
    private ScriptSource(string entryFile, IReadOnlyList<(string Path, string Text)> files, string hash)
    {
        EntryFile = entryFile;
        Files = files;
        Hash = hash;
    }

    /// <summary>The strategy file.</summary>
    public string EntryFile { get; }

    /// <summary>The strategy file and its #load closure (helpers first), with directives blanked.</summary>
    public IReadOnlyList<(string Path, string Text)> Files { get; }

    /// <summary>SHA-256 of the contract version, the compiler's version and every file's path and text.</summary>
    public string Hash { get; }

    /// <summary>Short form of <see cref="Hash"/> for logs.</summary>
    public string Version => Hash[..12];

    /// <summary>
    /// The compiler's version, from this assembly's metadata rather than the compiler itself: the engine reads the
    /// compile cache without loading Roslyn (it compiles in a process of its own).
    /// </summary>
    private static readonly Version? RoslynVersion = typeof(ScriptSource).Assembly.GetReferencedAssemblies()
        .FirstOrDefault(a => a.Name == "Microsoft.CodeAnalysis")?.Version;

    /// <summary>Reads a strategy and its #load closure. Problems (a missing file, a cycle) come back as diagnostics.</summary>
    public static ScriptSource Read(string entryFile, List<ScriptDiagnostic> problems)
    {
        string entry = Path.GetFullPath(entryFile);
        var files = new List<(string, string)>();
        var visiting = new HashSet<string>(StringComparer.Ordinal);
        var done = new HashSet<string>(StringComparer.Ordinal);
        Visit(entry, null, 0, files, visiting, done, problems);

        var hasher = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        // The contract assembly's module id too: a compiled script binds to its exact members, so
        // any change to it (even one nobody remembered to give a new contract version) recompiles.
        hasher.AppendData(Encoding.UTF8.GetBytes($"contract {Abstractions.Plugins.ContractInfo.Text} {typeof(Abstractions.Plugins.ContractInfo).Module.ModuleVersionId}; roslyn {RoslynVersion}; guard {ScriptGuardRewriter.Version}\n"));
        foreach ((string path, string text) in files)
        {
            hasher.AppendData(Encoding.UTF8.GetBytes(path + "\n" + text + "\n"));
        }

        return new ScriptSource(entry, files, Convert.ToHexString(hasher.GetHashAndReset()).ToLowerInvariant());
    }

    private static void Visit(string path, (string File, int Line)? from, int depth, List<(string, string)> files, HashSet<string> visiting, HashSet<string> done, List<ScriptDiagnostic> problems)
    {
        if (done.Contains(path))
        {
            return;
        }

        if (!visiting.Add(path))
        {
            problems.Add(new ScriptDiagnostic(from!.Value.File, from.Value.Line, 1, "ARB010", $"#load cycle: {path} loads itself through its helpers"));
            return;
        }

        if (!File.Exists(path))
        {
            problems.Add(from is { } origin
                ? new ScriptDiagnostic(origin.File, origin.Line, 1, "ARB011", $"#load file not found: {path}")
                : new ScriptDiagnostic(path, 1, 1, "ARB011", "strategy file not found"));
            visiting.Remove(path);
            return;
        }

        string[] lines = File.ReadAllText(path).Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            Match load = LoadDirective().Match(lines[i]);
            if (load.Success)
            {
                string target = Path.GetFullPath(load.Groups["file"].Value, Path.GetDirectoryName(path)!);
                Visit(target, (path, i + 1), depth + 1, files, visiting, done, problems);
                lines[i] = string.Empty;
            }
            else if (ReferenceDirective().IsMatch(lines[i]))
            {
                problems.Add(new ScriptDiagnostic(path, i + 1, 1, "ARB012", "#r is not supported: strategies compile against ArbBot.Abstractions and the base library only"));
                lines[i] = string.Empty;
            }
        }

        visiting.Remove(path);
        done.Add(path);
        files.Add((path, string.Join('\n', lines)));
    }

    [GeneratedRegex(@"^\s*#load\s+""(?<file>[^""]+)""\s*\r?$")]
    private static partial Regex LoadDirective();

    [GeneratedRegex(@"^\s*#r\s")]
    private static partial Regex ReferenceDirective();
}
