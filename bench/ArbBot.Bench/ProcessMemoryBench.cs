using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ArbBot.Bench;

/// <summary>
/// Memory at scale the way a user meets it: a fresh <c>arbbot run</c> process on the shipped
/// config grown to 5,000 events on each simulated venue (10,000 books, 5,000 pairs, the three
/// strategies, paper trading), its working set sampled from outside while it runs. Twice: a
/// cold start (the strategies' compile cache emptied, so the C# compiler is loaded and run) and a
/// warm one (compiled strategies from the cache, as on every start after the first).
/// </summary>
internal static partial class ProcessMemoryBench
{
    private const int Events = 5_000;

    public static int Run(string repoRoot, string outputDirectory, TimeSpan duration, QuickReport? report)
    {
        string arbbot = BenchCompiler.ArbbotDll(repoRoot);
        if (!File.Exists(arbbot))
        {
            Console.WriteLine($"fresh-process memory: {arbbot} is not built (build bench/ArbBot.Bench in Release: it builds arbbot too; `arbbot bench` does)");
            report?.Missing("working set, fresh arbbot run with 10,000 markets", "< 150 MB", "arbbot is not built in Release");
            return 1;
        }

        string work = Path.Combine(Path.GetTempPath(), "arbbot-memory-bench");
        Directory.CreateDirectory(work);
        string config = WriteConfig(repoRoot, work);
        string cache = Path.Combine(work, ".arbbot");
        if (Directory.Exists(cache))
        {
            Directory.Delete(cache, recursive: true);
        }

        Console.WriteLine($"fresh-process memory: arbbot run with {2 * Events:N0} books ({Events:N0} pairs, 2 simulated venues, the shipped strategies), {duration.TotalSeconds:0} s each");
        (long coldSteady, long coldPeak, string coldBooks, long coldCompiler) = Measure(arbbot, config, work, duration);
        (long warmSteady, long warmPeak, string warmBooks, long warmCompiler) = Measure(arbbot, config, work, duration);
        Console.WriteLine($"  cold start (compiles the strategies): working set {coldSteady / 1048576.0:0} MB steady, {coldPeak / 1048576.0:0} MB peak; {coldBooks}; its compile process {coldCompiler / 1048576.0:0} MB at most");
        Console.WriteLine($"  warm start (compiled strategies from the cache): working set {warmSteady / 1048576.0:0} MB steady, {warmPeak / 1048576.0:0} MB peak; {warmBooks}; its compile process {warmCompiler / 1048576.0:0} MB at most");
        report?.Add("working set, fresh arbbot run, 10,000 markets (warm start)", Math.Round(warmSteady / 1048576.0), "MB", "< 150 MB", warmSteady < 150L * 1048576);
        report?.Add("working set, fresh arbbot run, 10,000 markets (cold start: compiled in its compile process)", Math.Round(coldSteady / 1048576.0), "MB", "< 150 MB", coldSteady < 150L * 1048576);
        report?.Add("the compile process beside it, cold start, at most", Math.Round(coldCompiler / 1048576.0), "MB", "(reported)", null);
        File.WriteAllText(Path.Combine(outputDirectory, "process-memory.json"), System.Text.Json.JsonSerializer.Serialize(new
        {
            books = 2 * Events,
            cold_steady_mb = Math.Round(coldSteady / 1048576.0, 1),
            cold_peak_mb = Math.Round(coldPeak / 1048576.0, 1),
            warm_steady_mb = Math.Round(warmSteady / 1048576.0, 1),
            warm_peak_mb = Math.Round(warmPeak / 1048576.0, 1),
            cold_compile_process_mb = Math.Round(coldCompiler / 1048576.0, 1),
            warm_compile_process_mb = Math.Round(warmCompiler / 1048576.0, 1),
        }));
        return 0;
    }

    /// <summary>Runs arbbot for the duration; the steady figure is the largest sample of the run's last third (books loaded, trading).</summary>
    private static (long Steady, long Peak, string Books, long CompilerPeak) Measure(string arbbot, string config, string work, TimeSpan duration)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = work, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in (string[])[arbbot, "run", "--config", config, "--duration", $"{(int)duration.TotalSeconds}s"])
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("could not start arbbot");
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var samples = new List<(TimeSpan At, long Bytes)>();
        long compilerPeak = 0;
        var clock = Stopwatch.StartNew();
        while (!process.WaitForExit(250))
        {
            process.Refresh();
            if (clock.Elapsed < duration)
            {
                samples.Add((clock.Elapsed, process.WorkingSet64));
                compilerPeak = Math.Max(compilerPeak, CompileProcessBytes(process.Id));
            }
        }

        string text;
        lock (output)
        {
            text = output.ToString();
        }

        if (process.ExitCode != 0 || samples.Count == 0)
        {
            throw new InvalidOperationException($"arbbot run exited with {process.ExitCode}:\n{text}");
        }

        long steady = samples.Where(s => s.At >= duration * 2 / 3).Select(s => s.Bytes).DefaultIfEmpty(samples[^1].Bytes).Max();
        MatchCollection books = BooksLine().Matches(text);
        return (steady, samples.Max(s => s.Bytes), books.Count > 0 ? books[^1].Value : "no summary line", compilerPeak);
    }

    /// <summary>The resident bytes of the engine's compile process (its <c>compile-server</c> child), 0 if none runs.</summary>
    private static long CompileProcessBytes(int engine)
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }

        foreach (string folder in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                string stat = File.ReadAllText(Path.Combine(folder, "stat"));
                string[] after = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (after[1] == engine.ToString(CultureInfo.InvariantCulture) && File.ReadAllText(Path.Combine(folder, "cmdline")).Contains("compile-server", StringComparison.Ordinal))
                {
                    using Process child = Process.GetProcessById(int.Parse(Path.GetFileName(folder), CultureInfo.InvariantCulture));
                    return child.WorkingSet64;
                }
            }
            catch (Exception ex) when (ex is IOException or ArgumentException or FormatException or UnauthorizedAccessException or InvalidOperationException)
            {
                // Not a process, or gone while looking.
            }
        }

        return 0;
    }

    private static string WriteConfig(string repoRoot, string work)
    {
        string shipped = File.ReadAllText(Path.Combine(repoRoot, "arbbot.yaml"));
        int pairsAt = shipped.IndexOf("\npairs:", StringComparison.Ordinal) + 1;
        int afterPairs = NextTopLevelKey().Match(shipped, pairsAt + "pairs:".Length).Index;
        var yaml = new StringBuilder(shipped[..pairsAt].Replace("events: \"20\"", $"events: \"{Events}\"", StringComparison.Ordinal));
        yaml.AppendLine("pairs:");
        for (int e = 1; e <= Events; e++)
        {
            string id = $"E{e:00}";
            yaml.AppendLine(CultureInfo.InvariantCulture, $"  - event: SIM-{id}");
            yaml.AppendLine(CultureInfo.InvariantCulture, $"    legs: {{ sim-kalshi: SIMK-{id}, sim-poly: {{ market: SIMP-{id}, yes: SIMP-{id}-YES, no: SIMP-{id}-NO }} }}");
        }

        string rest = shipped[afterPairs..];
        if (rest.StartsWith("groups:", StringComparison.Ordinal))
        {
            rest = rest[NextTopLevelKey().Match(rest, "groups:".Length).Index..]; // the shipped outcome groups name pairs this config does not have
        }

        yaml.Append(rest.Replace("file: strategies/", $"file: {Path.Combine(repoRoot, "strategies")}/", StringComparison.Ordinal));
        string path = Path.Combine(work, "arbbot-10k.yaml");
        File.WriteAllText(path, yaml.ToString());
        return path;
    }

    [GeneratedRegex(@"books \d+, stale \d+")]
    private static partial Regex BooksLine();

    [GeneratedRegex(@"^[a-z_]+:", RegexOptions.Multiline)]
    private static partial Regex NextTopLevelKey();
}
