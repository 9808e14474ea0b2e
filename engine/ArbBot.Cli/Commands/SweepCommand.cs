using System.Globalization;
using ArbBot.Cli.Terminal;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Replay.Sweep;
using ArbBot.Engine.Storage.Recording;
using Spectre.Console;

namespace ArbBot.Cli.Commands;

/// <summary><c>arbbot replay REC... --sweep strategy.param=a,b,c</c>: every combination over every recording, on all cores, as one table.</summary>
internal static class SweepCommand
{
    public static async Task<int> RunAsync(FileInfo[] files, ArbBotConfig config, DirectoryInfo reportDir, string[] sweeps, bool printJson, bool skipDamaged, TimeSpan maxGap,
        int jobs, CancellationToken cancellationToken)
    {
        var axes = new List<SweepAxis>();
        try
        {
            axes.AddRange(sweeps.Select(SweepAxis.Parse));
            ParameterSweep.Validate(config, axes, files.Length);
        }
        catch (FormatException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return ExitCodes.BadConfig;
        }

        // Every recording must open before hours of replays start.
        foreach (FileInfo file in files)
        {
            try
            {
                RecordingFile.Open(file.FullName, skipDamaged).Dispose();
            }
            catch (Exception ex) when (ex is RecordingFormatException or IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine(ex.Message);
                return ExitCodes.BadConfig;
            }
        }

        Directory.CreateDirectory(reportDir.FullName);
        var progress = new ReplayCommand.ProgressLine(printJson, "replays done");
        int replays = files.Length * axes.Aggregate(1, (n, a) => n * a.Values.Count);
        if (!printJson)
        {
            Console.Error.WriteLine($"sweeping {replays / files.Length} combinations over {files.Length} recordings: {replays} replays, {jobs} at a time");
        }

        SweepResult result;
        try
        {
            result = await ParameterSweep.RunAsync(config, files.Select(f => f.FullName).ToArray(), axes, () => CommonOptions.Loader(config),
                new SweepOptions
                {
                    WorkDirectory = Path.Combine(reportDir.FullName, "sweep-state"),
                    Parallelism = jobs,
                    SkipDamaged = skipDamaged,
                    MaxGap = maxGap,
                    Progress = (fraction, done) => progress.Show(fraction, done),
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ConfigException or RecordingFormatException)
        {
            progress.Done();
            Console.Error.WriteLine(ex.Message);
            return ExitCodes.BadConfig;
        }
        catch (OperationCanceledException)
        {
            progress.Done();
            Console.Error.WriteLine("sweep stopped before the end; no report written");
            return ExitCodes.Failed;
        }

        progress.Done();
        string csvPath = Path.Combine(reportDir.FullName, "sweep.csv");
        string jsonPath = Path.Combine(reportDir.FullName, "sweep.json");
        string htmlPath = Path.Combine(reportDir.FullName, "report.html");
        await File.WriteAllTextAsync(csvPath, SweepReport.Csv(result), cancellationToken).ConfigureAwait(false);
        await using (FileStream stream = File.Create(jsonPath))
        {
            SweepReport.Json(stream, result);
        }

        await File.WriteAllTextAsync(htmlPath, SweepReport.Html(result), cancellationToken).ConfigureAwait(false);
        // As a single replay: a recording not replayed to its end fails the command (its rows say where it stopped).
        int exit = result.Rows.All(r => r.Whole) ? ExitCodes.Ok : ExitCodes.Failed;
        if (printJson)
        {
            await using Stream stdout = Console.OpenStandardOutput();
            SweepReport.Json(stdout, result);
            return exit;
        }

        IAnsiConsole screen = Screen.Create();
        var table = new Table().Border(TableBorder.Rounded);
        foreach (SweepAxis axis in axes)
        {
            table.AddColumn(Markup.Escape(axis.Name));
        }

        table.AddColumns("recording", "opportunities", "fills", "realised", "locked in", "P&L", "legged cost");
        foreach (SweepRow row in result.Rows)
        {
            table.AddRow(row.Combination.Settings.Select(s => Markup.Escape(s.Value))
                .Concat([Markup.Escape(row.Recording), N(row.Opportunities), N(row.Fills), "$" + row.Realised, "$" + row.LockedIn, "$" + row.Pnl, "$" + row.LeggedCost + (row.Problems.Count > 0 ? " [yellow](warnings)[/]" : "")])
                .ToArray());
        }

        screen.Write(table);
        SweepReport.CombinationTotals best = SweepReport.Totals(result).MaxBy(t => t.Pnl.Micros)!;
        Console.Out.WriteLine($"best over all recordings: {best.Combination.Label}: P&L ${best.Pnl} ({best.Opportunities:N0} opportunities, {best.Fills:N0} fills, legged cost ${best.LeggedCost})");
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{result.Rows.Count} replays in {result.WallSeconds:N1} s, {result.Parallelism} at a time; one after another they took {result.SerialSeconds:N1} s ({result.SerialSeconds / Math.Max(result.WallSeconds, 1e-9):N2}x)"));
        Console.Out.WriteLine($"report: {htmlPath}, {csvPath} and {jsonPath}");
        if (result.Rows.Any(r => r.Problems.Count > 0))
        {
            Console.Error.WriteLine($"warning: {result.Rows.Count(r => r.Problems.Count > 0)} replays had problems (the problems column of {csvPath} says which)");
        }

        if (exit != ExitCodes.Ok)
        {
            Console.Error.WriteLine("not every recording was replayed to its end: " + string.Join("; ", result.Rows.Where(r => !r.Whole).Select(r => r.Recording).Distinct()));
        }

        return exit;
    }

    private static string N(int value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
