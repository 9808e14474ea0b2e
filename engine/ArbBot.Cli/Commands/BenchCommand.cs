using System.CommandLine;
using System.Diagnostics;

namespace ArbBot.Cli.Commands;

/// <summary>
/// <c>arbbot bench</c>: runs the benchmark harness (bench/ArbBot.Bench, built in Release) from the
/// source tree and passes its output through. <c>--quick</c> (the default) prints every figure of
/// the performance targets next to its target in a few minutes.
/// </summary>
internal static class BenchCommand
{
    private static readonly string[] Modes = ["quick", "book", "kalshi", "polymarket", "polymarket-file", "signing", "wire", "floor", "scale", "memory", "strategies", "mirror", "replay"];

    public static Command Create()
    {
        var command = new Command("bench", "Measure latency, throughput, allocation and scale against the targets (needs the source tree and the .NET SDK)");
        var quick = new Option<bool>("--quick") { Description = "Every figure in a few minutes, next to its target (the default)" };
        var only = new Option<string?>("--only") { Description = $"One benchmark in full instead: {string.Join(", ", Modes.Skip(1))}" };
        var output = new Option<DirectoryInfo>("--out") { Description = "Where the JSON results go", DefaultValueFactory = _ => new DirectoryInfo("bench-results") };
        var frames = new Option<FileInfo?>("--frames") { Description = "Time decode + apply on a file of venue messages (one per line, a snapshot of each market first) and print the final books" };
        var venue = new Option<string?>("--venue") { Description = "Whose messages --frames holds: kalshi or polymarket" };
        var json = new Option<bool>("--json") { Description = "With --frames: also write frames.json (figures and every book) into --out" };
        command.Options.Add(quick);
        command.Options.Add(only);
        command.Options.Add(output);
        command.Options.Add(frames);
        command.Options.Add(venue);
        command.Options.Add(json);
        command.SetAction((parse, cancellationToken) => parse.GetValue(frames) is { } file
            ? FramesAsync(file, parse.GetValue(venue), parse.GetValue(json), parse.GetValue(output)!, cancellationToken)
            : RunAsync(parse.GetValue(only) ?? "quick", parse.GetValue(output)!, [], cancellationToken));
        return command;
    }

    private static Task<int> FramesAsync(FileInfo file, string? venue, bool json, DirectoryInfo output, CancellationToken cancellationToken)
    {
        if (venue is not ("kalshi" or "polymarket"))
        {
            Console.Error.WriteLine($"--frames needs --venue kalshi or --venue polymarket{(venue is null ? "" : $", was \"{venue}\"")}");
            return Task.FromResult(ExitCodes.Failed);
        }

        if (!file.Exists)
        {
            Console.Error.WriteLine($"{file.FullName}: no such file");
            return Task.FromResult(ExitCodes.Failed);
        }

        return RunAsync("frames", output, json ? [file.FullName, venue, "json"] : [file.FullName, venue], cancellationToken);
    }

    private static async Task<int> RunAsync(string mode, DirectoryInfo output, string[] more, CancellationToken cancellationToken)
    {
        if (mode != "frames" && !Modes.Contains(mode))
        {
            Console.Error.WriteLine($"--only must be one of {string.Join(", ", Modes.Skip(1))}, was \"{mode}\"");
            return ExitCodes.Failed;
        }

        string? root = FindRepoRoot(Directory.GetCurrentDirectory()) ?? FindRepoRoot(AppContext.BaseDirectory);
        if (root is null)
        {
            Console.Error.WriteLine("arbbot bench runs the benchmarks from the source tree: run it inside the ArbBot repository (no ArbBot.sln above the current directory or the arbbot executable)");
            return ExitCodes.Failed;
        }

        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "run", "-c", "Release", "--project", Path.Combine(root, "bench", "ArbBot.Bench"), "--", mode, output.FullName },
            UseShellExecute = false,
        };
        foreach (string argument in more)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return ExitCodes.Failed;
        }

        return process.ExitCode == 0 ? ExitCodes.Ok : ExitCodes.Failed;
    }

    private static string? FindRepoRoot(string from)
    {
        for (string? dir = from; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "ArbBot.sln")) && Directory.Exists(Path.Combine(dir, "bench", "ArbBot.Bench")))
            {
                return dir;
            }
        }

        return null;
    }
}
