using System.Diagnostics;
using ArbBot.Engine.Strategies.Compilation;

namespace ArbBot.Engine.Scripting;

/// <summary>
/// Compiled strategy images on disk, by the hash of everything that went into them
/// (<see cref="ScriptSource.Hash"/>): a restart with unchanged scripts skips the compiler. Uses no
/// compiler type, so the engine reads it without loading Roslyn. A missing directory (null) caches nothing.
/// </summary>
internal sealed class CompileCache(string? directory)
{
    /// <summary>
    /// How every compile begins: the strategy and its #load closure are read; a problem reading them, or (with
    /// <paramref name="readCache"/>) an image cached for exactly this source, is the result. Null: compile <paramref name="source"/>.
    /// </summary>
    public ScriptCompilation? ReadOrFind(string file, bool readCache, long start, out ScriptSource source)
    {
        var problems = new List<ScriptDiagnostic>();
        source = ScriptSource.Read(file, problems);
        if (problems.Count > 0)
        {
            return new ScriptCompilation(source, null, null, problems, false, Stopwatch.GetElapsedTime(start));
        }

        return readCache && TryRead(source, out byte[]? image, out byte[]? symbols)
            ? new ScriptCompilation(source, image, symbols, [], true, Stopwatch.GetElapsedTime(start))
            : null;
    }

    /// <summary>The cached image and symbols of this source, if both are there and readable.</summary>
    public bool TryRead(ScriptSource source, out byte[]? image, out byte[]? symbols)
    {
        image = null;
        symbols = null;
        if (directory is null)
        {
            return false;
        }

        string dll = Path.Combine(directory, source.Hash + ".dll");
        string pdb = Path.Combine(directory, source.Hash + ".pdb");
        try
        {
            if (File.Exists(dll) && File.Exists(pdb))
            {
                image = File.ReadAllBytes(dll);
                symbols = File.ReadAllBytes(pdb);
                return true;
            }
        }
        catch (IOException)
        {
            // An unreadable cache entry is not an error: compile instead.
        }

        return false;
    }

    /// <summary>Stores an image and its symbols (the symbols first: an image is only read with both there).</summary>
    public void Write(ScriptSource source, byte[] image, byte[] symbols)
    {
        if (directory is null)
        {
            return;
        }

        try
        {
            Directory.CreateDirectory(directory);
            WriteAtomically(Path.Combine(directory, source.Hash + ".pdb"), symbols);
            WriteAtomically(Path.Combine(directory, source.Hash + ".dll"), image);
        }
        catch (IOException)
        {
            // The cache only saves time; a read-only or full disk must not stop a strategy.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static void WriteAtomically(string path, byte[] bytes)
    {
        string temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, path, overwrite: true);
    }
}
