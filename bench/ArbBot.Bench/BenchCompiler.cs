using ArbBot.Engine.Scripting.OutOfProcess;
using ArbBot.Engine.Strategies.Compilation;

namespace ArbBot.Bench;

/// <summary>
/// Compiles the benchmarks' strategies the way <c>arbbot run</c> does: in <c>arbbot compile-server</c>, a process of its
/// own. The C# compiler run in the benchmark's process would leave its own methods for the runtime to optimise in the
/// background (quick JIT and dynamic PGO, as in <c>arbbot</c>) for seconds, on the cores the measured threads need.
/// </summary>
internal static class BenchCompiler
{
    private static readonly Lock Gate = new();
    private static OutOfProcessCompiler? _shared;
    private static string? _cache;

    /// <summary>The Release <c>arbbot</c> beside the benchmark (the benchmark project builds it).</summary>
    public static string ArbbotDll(string repoRoot) => Path.Combine(repoRoot, "engine", "ArbBot.Cli", "bin", "Release", "net10.0", "arbbot.dll");

    /// <summary>
    /// One compiler for the whole benchmark run, with a compile cache of its own (a benchmark's second rig of the same
    /// strategies starts no compile); its process starts when something needs compiling.
    /// </summary>
    public static IStrategyCompiler Shared(string repoRoot)
    {
        lock (Gate)
        {
            _cache ??= Path.Combine(Path.GetTempPath(), "arbbot-bench-compile-" + Guid.NewGuid().ToString("N"));
            return _shared ??= Create(repoRoot, _cache);
        }
    }

    /// <summary>A compile process of its own (the caller disposes it), reading and filling <paramref name="cacheDirectory"/> when given.</summary>
    public static OutOfProcessCompiler Create(string repoRoot, string? cacheDirectory)
    {
        string arbbot = ArbbotDll(repoRoot);
        if (!File.Exists(arbbot))
        {
            throw new FileNotFoundException($"{arbbot} is not built: build bench/ArbBot.Bench in Release (it builds arbbot too)", arbbot);
        }

        List<string> arguments = [arbbot, "compile-server"];
        if (cacheDirectory is not null)
        {
            arguments.AddRange(["--cache", cacheDirectory]);
        }

        return new OutOfProcessCompiler("dotnet", arguments, cacheDirectory);
    }

    /// <summary>Ends the shared compile process and deletes its cache.</summary>
    public static void Stop()
    {
        lock (Gate)
        {
            _shared?.Dispose();
            _shared = null;
            if (_cache is not null && Directory.Exists(_cache))
            {
                Directory.Delete(_cache, recursive: true);
            }

            _cache = null;
        }
    }
}
