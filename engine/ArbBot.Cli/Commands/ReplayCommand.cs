using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ArbBot.Cli.Terminal;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Replay;
using ArbBot.Engine.Replay.Report;
using ArbBot.Engine.Storage.Recording;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace ArbBot.Cli.Commands;

/// <summary><c>arbbot replay FILE --config C --report DIR</c>: the engine and strategies over a recording, with a report.</summary>
internal static class ReplayCommand
{
    public static Command Create()
    {
        var command = new Command("replay", "Run the engine, the strategies and the paper executor over a recording (native or JSON Lines) on its recorded clock, and write a report");
        var file = new Argument<FileInfo[]>("recording")
        {
            Description = "A recording made by `arbbot record`, or a JSON Lines file (docs/recording.md); several with --sweep",
            Arity = ArgumentArity.OneOrMore,
        };
        var sweep = new Option<string[]>("--sweep")
        {
            Description = "strategy.parameter=a,b,c: replay every combination of the swept values over every recording, one replay per core at a time, and write sweep.csv, sweep.json and report.html (repeat for more parameters)",
            AllowMultipleArgumentsPerToken = false,
        };
        Option<FileInfo> config = CommonOptions.Config();
        var report = new Option<DirectoryInfo>("--report", "-r") { Description = "Folder for report.html, report.json and the replay's state database", DefaultValueFactory = _ => new DirectoryInfo("replay-report") };
        var speed = new Option<string>("--speed") { Description = "fast (default), recorded, or a factor such as 10x (ten times recorded speed); decisions are the same at any speed", DefaultValueFactory = _ => "fast" };
        var json = new Option<bool>("--json") { Description = "Print the JSON report on standard output instead of the summary" };
        var skipDamaged = new Option<bool>("--skip-damaged") { Description = "Step over damaged records (a bad checksum, a line that does not parse) and go on from the next good one, listing what was skipped; without it a damaged record ends the replay there and the command fails, saying what was not replayed" };
        var maxGap = new Option<string>("--max-gap") { Description = "Recorded time between two records longer than this is skipped, timers not fired across it (default 5m; off: never)", DefaultValueFactory = _ => "5m" };
        command.Arguments.Add(file);
        command.Options.Add(skipDamaged);
        command.Options.Add(maxGap);
        command.Options.Add(config);
        command.Options.Add(report);
        command.Options.Add(speed);
        command.Options.Add(json);
        var jobs = new Option<int>("--jobs") { Description = "With --sweep: replays run at once (default: one per core)", DefaultValueFactory = _ => Environment.ProcessorCount };
        command.Options.Add(sweep);
        command.Options.Add(jobs);
        command.SetAction((parse, cancellationToken) =>
            RunAsync(parse.GetValue(file)!, parse.GetValue(config)!, parse.GetValue(report)!, parse.GetValue(speed)!, parse.GetValue(json), parse.GetValue(skipDamaged), parse.GetValue(maxGap)!,
                parse.GetValue(sweep) ?? [], parse.GetValue(jobs), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(FileInfo[] files, FileInfo configFile, DirectoryInfo reportDir, string speedText, bool printJson, bool skipDamaged, string maxGapText,
        string[] sweeps, int jobs, CancellationToken cancellationToken)
    {
        if (ParseSpeed(speedText) is not { } speed)
        {
            Console.Error.WriteLine($"--speed must be fast, recorded or a factor such as 10x, was \"{speedText}\"");
            return ExitCodes.BadConfig;
        }

        TimeSpan maxGap = TimeSpan.Zero;
        if (maxGapText.Trim() != "off" && (!DurationText.TryParse(maxGapText, out maxGap) || maxGap <= TimeSpan.Zero))
        {
            Console.Error.WriteLine($"--max-gap must be a positive duration such as 30s or 5m, or off, was \"{maxGapText}\"");
            return ExitCodes.BadConfig;
        }

        if (CommonOptions.LoadOrReport(configFile) is not { } config)
        {
            return ExitCodes.BadConfig;
        }

        if (sweeps.Length > 0)
        {
            if (speed != 0)
            {
                Console.Error.WriteLine("--sweep replays as fast as it can; leave out --speed");
                return ExitCodes.BadConfig;
            }

            if (jobs < 1)
            {
                Console.Error.WriteLine($"--jobs must be 1 or more, was {jobs}");
                return ExitCodes.BadConfig;
            }

            return await SweepCommand.RunAsync(files, config, reportDir, sweeps, printJson, skipDamaged, maxGap, jobs, cancellationToken).ConfigureAwait(false);
        }

        if (files.Length > 1)
        {
            Console.Error.WriteLine($"{files.Length} recordings given: one is replayed at a time, several only with --sweep");
            return ExitCodes.BadConfig;
        }

        FileInfo file = files[0];

        ISessionSource source;
        try
        {
            source = RecordingFile.Open(file.FullName, skipDamaged);
        }
        catch (Exception ex) when (ex is RecordingFormatException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine(ex.Message);
            return ExitCodes.BadConfig;
        }

        using (source)
        {
            Directory.CreateDirectory(reportDir.FullName);
            using ILoggerFactory logging = CommonOptions.Logging();
            var progress = new ProgressLine(printJson);
            var options = new ReplayOptions
            {
                StateDatabase = Path.Combine(reportDir.FullName, "replay.db"),
                Speed = speed,
                MaxGap = maxGap,
                Progress = progress.Show,
                StrategyCompiler = CompileServerCommand.OutOfProcess, // as arbbot run: the compiler's code stays out of the replaying process
            };
            long started = Stopwatch.GetTimestamp();
            ReplayResult result;
            try
            {
                result = await ReplayRunner.RunAsync(config, source, CommonOptions.Loader(config), logging, options, cancellationToken).ConfigureAwait(false);
            }
            catch (RecordingFormatException ex)
            {
                progress.Done();
                Console.Error.WriteLine(ex.Message);
                return ExitCodes.BadConfig;
            }
            catch (ConfigException ex)
            {
                progress.Done();
                Console.Error.WriteLine(ex.Message);
                return ExitCodes.BadConfig;
            }
            catch (OperationCanceledException)
            {
                progress.Done();
                Console.Error.WriteLine("replay stopped before the end; no report written");
                return ExitCodes.Failed;
            }

            progress.Done();
            TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
            string jsonPath = Path.Combine(reportDir.FullName, "report.json");
            string htmlPath = Path.Combine(reportDir.FullName, "report.html");
            await using (FileStream stream = File.Create(jsonPath))
            {
                ReplayReportJson.Write(stream, result);
            }

            await File.WriteAllTextAsync(htmlPath, ReplayReportHtml.Render(result), cancellationToken).ConfigureAwait(false);
            if (printJson)
            {
                await using Stream stdout = Console.OpenStandardOutput();
                ReplayReportJson.Write(stdout, result);
                if (result.Lost is { } lostHere)
                {
                    Console.Error.WriteLine($"not the whole recording: {lostHere}");
                    return ExitCodes.Failed;
                }

                return ExitCodes.Ok;
            }

            foreach (string warning in result.Warnings)
            {
                Console.Error.WriteLine("warning: " + warning);
            }

            IAnsiConsole screen = Screen.Create();
            var table = new Table().Border(TableBorder.Rounded).AddColumns("strategy", "calls", "errors", "opportunities", "expected edge", "what became of them");
            foreach (ReplayStrategyStats s in result.Strategies)
            {
                table.AddRow(Markup.Escape(s.Name), s.Calls.ToString("N0", CultureInfo.InvariantCulture), s.Errors.ToString("N0", CultureInfo.InvariantCulture), s.Opportunities.ToString("N0", CultureInfo.InvariantCulture), "$" + s.ExpectedEdge,
                    Markup.Escape(string.Join(", ", s.Attempts.Select(a => $"{a.Key} {a.Value}"))));
            }

            screen.Write(table);
            if (result.Execution is { } x)
            {
                Console.Out.WriteLine(SummaryView.ExecutionLine(x));
            }

            double perSecond = result.Records / Math.Max(elapsed.TotalSeconds, 1e-9);
            Console.Out.WriteLine($"replayed {result.Records:N0} records ({TimeSpan.FromMilliseconds(result.ToMs - result.FromMs):hh\\:mm\\:ss} recorded) in {elapsed.TotalSeconds:N1} s ({perSecond:N0} records/s); {result.Opportunities.Count:N0} opportunities, {result.Fills.Count:N0} fills");
            Console.Out.WriteLine($"report: {htmlPath} and {jsonPath}");
            if (result.Lost is { } lost)
            {
                Console.Error.WriteLine($"not the whole recording: {lost}");
                return ExitCodes.Failed;
            }

            return ExitCodes.Ok;
        }
    }

    private static double? ParseSpeed(string text) => text.Trim().ToLowerInvariant() switch
    {
        "fast" => 0,
        "recorded" => 1,
        string t when t.EndsWith('x') && double.TryParse(t[..^1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double f) && f > 0 => f,
        _ => null,
    };

    /// <summary>A progress bar on standard error, redrawn in place on a terminal, a line every 10% otherwise.</summary>
    internal sealed class ProgressLine(bool quiet, string unit = "records")
    {
        private readonly bool _terminal = !Console.IsErrorRedirected;
        private int _lastTenth = -1;
        private bool _drawn;

        public void Show(double fraction, long records)
        {
            if (quiet)
            {
                return;
            }

            int percent = (int)Math.Clamp(fraction * 100, 0, 100);
            if (_terminal)
            {
                int filled = percent * 30 / 100;
                Console.Error.Write($"\r[{new string('#', filled)}{new string('.', 30 - filled)}] {percent,3}%  {records:N0} {unit}");
                _drawn = true;
            }
            else if (percent / 10 != _lastTenth)
            {
                _lastTenth = percent / 10;
                Console.Error.WriteLine($"replay {percent}% ({records:N0} {unit})");
            }
        }

        public void Done()
        {
            if (_drawn)
            {
                Console.Error.WriteLine();
                _drawn = false;
            }
        }
    }
}
