using System.Diagnostics;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Plugins;
using ArbBot.Engine.Storage.Recording;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArbBot.Engine.Replay.Sweep;

/// <summary>
/// Replays every combination of the swept parameters over every recording, several at once (one
/// per core by default). Each replay is the one <c>arbbot replay</c> runs, single-threaded on its
/// recording's clock with its own engine, plugins and state database, so a row is what a replay of
/// that recording with those parameters in the config gives, however many run beside it.
/// </summary>
public static class ParameterSweep
{
    /// <summary>Most replays one sweep runs.</summary>
    public const int MaxReplays = 10_000;

    /// <summary>Refuses axes the config cannot take (an unknown strategy, a parameter swept twice), naming the strategies it has.</summary>
    public static void Validate(ArbBotConfig config, IReadOnlyList<SweepAxis> axes, int recordings)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        long replays = recordings;
        foreach (SweepAxis axis in axes)
        {
            if (!config.Strategies.Any(s => s.Name == axis.Strategy && s.Enabled))
            {
                throw new FormatException($"--sweep {axis.Name}: {config.SourcePath} has no enabled strategy named {axis.Strategy} (it has: {string.Join(", ", config.Strategies.Where(s => s.Enabled).Select(s => s.Name))})");
            }

            if (!seen.Add(axis.Name))
            {
                throw new FormatException($"--sweep {axis.Name} is given twice; list all its values in one");
            }

            replays *= axis.Values.Count;
            if (replays > MaxReplays)
            {
                throw new FormatException($"the sweep would run more than {MaxReplays:N0} replays; sweep fewer values");
            }
        }
    }

    /// <summary>Runs the sweep; <paramref name="loaders"/> makes a plugin loader for each replay.</summary>
    public static async Task<SweepResult> RunAsync(ArbBotConfig config, IReadOnlyList<string> recordings, IReadOnlyList<SweepAxis> axes, Func<PluginLoader> loaders,
        SweepOptions options, CancellationToken cancellationToken)
    {
        Validate(config, axes, recordings.Count);
        IReadOnlyList<SweepCombination> grid = SweepCombination.Grid(axes);
        var jobs = grid.SelectMany(c => recordings.Select((r, i) => (Combination: c, Recording: r, Index: (c.Index * recordings.Count) + i))).ToArray();
        var rows = new SweepRow?[jobs.Length];
        var done = new double[jobs.Length];
        int finished = 0;
        var progressGate = new object();
        void Report()
        {
            lock (progressGate)
            {
                options.Progress?.Invoke(done.Sum() / jobs.Length, Volatile.Read(ref finished));
            }
        }

        Directory.CreateDirectory(options.WorkDirectory);
        long started = Stopwatch.GetTimestamp();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Parallelism), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(jobs, parallel, async (job, token) =>
        {
            long jobStarted = Stopwatch.GetTimestamp();
            using ISessionSource source = RecordingFile.Open(job.Recording, options.SkipDamaged);
            var replay = new ReplayOptions
            {
                StateDatabase = Path.Combine(options.WorkDirectory, $"sweep-{job.Index:D4}.db"),
                MaxGap = options.MaxGap,
                Progress = (fraction, _) =>
                {
                    Volatile.Write(ref done[job.Index], fraction);
                    Report();
                },
            };
            ReplayResult result = await ReplayRunner.RunAsync(job.Combination.Apply(config), source, loaders(), NullLoggerFactory.Instance, replay, token).ConfigureAwait(false);
            rows[job.Index] = SweepRow.Of(job.Combination, result, Stopwatch.GetElapsedTime(jobStarted).TotalSeconds);
            Volatile.Write(ref done[job.Index], 1);
            Interlocked.Increment(ref finished);
            Report();
        }).ConfigureAwait(false);

        return new SweepResult(axes, recordings.Select(Path.GetFileName).ToArray()!, rows.Select(r => r!).ToArray(), Stopwatch.GetElapsedTime(started).TotalSeconds, parallel.MaxDegreeOfParallelism);
    }
}
