using System.Diagnostics;
using System.Text;
using ArbBot.Abstractions.Markets;
using ArbBot.Abstractions.Plugins;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Hosting;
using ArbBot.Engine.Plugins;
using ArbBot.Engine.Storage.Recording;
using ArbBot.Engine.Strategies;
using Microsoft.Extensions.Logging;

namespace ArbBot.Engine.Replay;

/// <summary>
/// Runs the engine over a recording: the same kernel, plugins' parsers, strategies, risk checks,
/// order manager and paper executor as a live run, on a <see cref="VirtualClock"/> that moves to
/// each record's timestamp. Everything runs on the calling thread, so two replays of the same
/// recording with the same strategies give the same results. Nothing is sent to any venue.
/// </summary>
public static class ReplayRunner
{
    private const int MaxWarningsPerKind = 20;

    /// <summary>Replays <paramref name="recording"/> with <paramref name="config"/> (its venues, pairs, strategies and risk limits).</summary>
    public static async Task<ReplayResult> RunAsync(ArbBotConfig config, ISessionSource recording, PluginLoader loader, ILoggerFactory logging, ReplayOptions options, CancellationToken cancellationToken)
    {
        using var source = new PrefetchingSessionSource(recording); // file reads on another core; same records, same order
        var result = new ReplayResult { Recording = source.Name };
        if (!source.TryRead(out SessionRecord first))
        {
            result.Warnings.Add($"{source.Name}: no records to replay");
            if (source.Warning is { } empty)
            {
                result.Warnings.Add(empty);
            }

            return result;
        }

        // Replay never trades and never touches the live state: paper fills, its own database, no Redis, no webhooks.
        DeleteDatabase(options.StateDatabase);
        ArbBotConfig replayConfig = config with
        {
            Execution = config.Execution with { Mode = ExecutionMode.Paper, StateDatabase = Path.GetFullPath(options.StateDatabase) },
            Redis = config.Redis with { Enabled = false },
            Alerts = config.Alerts with { WebhookUrlEnv = null },
        };

        var clock = new VirtualClock(DateTimeOffset.FromUnixTimeMilliseconds(first.TimestampNs / 1_000_000));
        var styles = new Dictionary<string, BookStyle>(StringComparer.Ordinal);
        foreach (RecordedVenue venue in source.Venues)
        {
            if (venue.BookStyle is { } style)
            {
                styles[venue.Name] = style;
            }
        }

        await using var host = new EngineHost(replayConfig, loader, logging, new EngineHostOptions { Clock = clock, Replay = true, RecordedStyles = styles, StrategyCompiler = options.StrategyCompiler });
        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        result.Warnings.AddRange(host.StartupErrors);
        var collector = new ReplayCollector(result, host.Kernel.Books, host.Inventory, clock);
        host.Kernel.AddListener(collector);
        host.Opportunities.OpportunityFound += collector.OnOpportunity;
        host.Execution.AttemptEnded += collector.OnAttemptEnded;
        host.Orders.OrderSent += collector.OnOrderSent;

        var feeds = new ReplayFeeds(host, source, result);
        result.FromMs = first.TimestampNs / 1_000_000;
        long firstTimestamp = clock.TimestampAt(first.TimestampNs);
        long realStart = Stopwatch.GetTimestamp();
        long records = 0;
        long skipped = 0;
        int gaps = 0;
        long maxGap = options.MaxGap <= TimeSpan.Zero ? long.MaxValue : (long)(options.MaxGap.TotalSeconds * Stopwatch.Frequency);
        SessionRecord record = first;
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            long at = clock.TimestampAt(record.TimestampNs);
            if (at - clock.GetTimestamp() > maxGap)
            {
                // A gap too long to live through timer by timer: jump it (see ReplayOptions.MaxGap).
                RunUntil(host, clock, clock.GetTimestamp());
                long gap = at - clock.GetTimestamp();
                if (++gaps <= MaxWarningsPerKind)
                {
                    result.Warnings.Add($"{source.Where(record.Location)}: {TimeSpan.FromSeconds((double)gap / Stopwatch.Frequency)} with no record before it (to {DateTimeOffset.FromUnixTimeMilliseconds(record.TimestampNs / 1_000_000):O}): skipped, longer than the replay's max gap of {options.MaxGap}; timers did not fire across it");
                }

                clock.Skip(gap);
                skipped += gap;
            }

            if (options.Speed > 0)
            {
                await PaceAsync(at - firstTimestamp - skipped, realStart, options.Speed, cancellationToken).ConfigureAwait(false);
            }

            RunUntil(host, clock, at);
            feeds.Apply(record, at);
            host.Kernel.RunPending();
            result.ToMs = record.TimestampNs / 1_000_000;
            if ((++records & 0xFFFF) == 0)
            {
                options.Progress?.Invoke(source.Progress, records);
            }
        }
        while (source.TryRead(out record));

        options.Progress?.Invoke(1, records);
        result.Records = records;
        if (gaps > MaxWarningsPerKind)
        {
            result.Warnings.Add($"{gaps - MaxWarningsPerKind} more gaps skipped");
        }
        if (source.Warning is { } warning)
        {
            result.Warnings.Add(warning);
        }

        if (source.Lost is { } lost)
        {
            result.Lost = lost;
            result.Warnings.Add(lost);
        }

        feeds.Summarise();
        WindDown(host, clock, options.WindDown);
        collector.SamplePnl();
        Collect(host, result);
        return result;
    }

    /// <summary>Fires every timer due up to <paramref name="timestamp"/> in order, handling what each posts, then moves the clock there.</summary>
    private static void RunUntil(EngineHost host, VirtualClock clock, long timestamp)
    {
        host.Kernel.RunPending();
        while (clock.FireNext(timestamp))
        {
            host.Kernel.RunPending();
        }

        clock.AdvanceTo(timestamp);
    }

    /// <summary>As a live run ends: no new attempts, resting orders cancelled, legs hedged, while recorded time runs on.</summary>
    private static void WindDown(EngineHost host, VirtualClock clock, TimeSpan limit)
    {
        host.Execution.BeginWindDown();
        host.Kernel.RunPending();
        long step = Stopwatch.Frequency / 10;
        long until = clock.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        while (!host.Execution.IsQuiet && clock.GetTimestamp() < until)
        {
            RunUntil(host, clock, clock.GetTimestamp() + step);
        }
    }

    private static void Collect(EngineHost host, ReplayResult result)
    {
        result.KernelEvents = host.Kernel.EventsProcessed;
        result.Execution = host.Execution.Summarize();
        foreach (Execution.LeggedEpisode episode in host.Execution.Policy.Closed.Concat(host.Execution.Policy.Open))
        {
            result.Legged.Add(new ReplayLegged(episode.EventId, episode.StartedMs, episode.EndedMs, episode.Outcome.ToWireName(), episode.InitialQuantity,
                episode.InitialCost, episode.Resolution ?? "open at the end", episode.Loss));
        }

        foreach (StrategyRuntime runtime in host.Strategies.Strategies)
        {
            StrategyOpportunityStats stats = host.Opportunities.StatsFor(runtime.Name);
            var attempts = new SortedDictionary<string, long>(StringComparer.Ordinal);
            Abstractions.FixedPoint.Money edge = Abstractions.FixedPoint.Money.Zero;
            foreach (ReplayOpportunity opportunity in result.Opportunities.Where(o => o.Strategy == runtime.Name))
            {
                string outcome = opportunity.Outcome.Length == 0 ? "not_sent" : opportunity.Outcome;
                attempts[outcome] = attempts.GetValueOrDefault(outcome) + 1;
                edge += opportunity.Edge;
            }

            result.Strategies.Add(new ReplayStrategyStats(runtime.Name, runtime.Version ?? "-", runtime.Calls, runtime.Errors, stats.Opportunities, stats.Groups, attempts, edge));
        }
    }

    private static async Task PaceAsync(long virtualElapsed, long realStart, double speed, CancellationToken cancellationToken)
    {
        TimeSpan due = TimeSpan.FromSeconds(virtualElapsed / (double)Stopwatch.Frequency / speed);
        TimeSpan wait = due - Stopwatch.GetElapsedTime(realStart);
        if (wait > TimeSpan.FromMilliseconds(1))
        {
            await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
        }
    }

    private static void DeleteDatabase(string path)
    {
        foreach (string file in (ReadOnlySpan<string>)[path, path + "-wal", path + "-shm"])
        {
            if (File.Exists(file))
            {
                File.Delete(file);
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>Hands each record to its venue: the plugin's decoder for frames and marks, the engine's event reader for decoded events.</summary>
    private sealed class ReplayFeeds
    {
        private readonly ISessionSource _source;
        private readonly ReplayResult _result;
        private readonly VenueRuntime?[] _venueOf;
        private readonly Dictionary<string, MarketHandle>?[] _marketsOf;
        private readonly Dictionary<string, MarketHandle>.AlternateLookup<ReadOnlySpan<byte>>[] _marketLookups; // the same maps, by the recorded UTF-8 id (not decoded)
        private readonly Dictionary<string, long> _warningCounts = new(StringComparer.Ordinal);
        private readonly long[] _skipped;

        public ReplayFeeds(EngineHost host, ISessionSource source, ReplayResult result)
        {
            _source = source;
            _result = result;
            int count = source.Venues.Count == 0 ? 0 : source.Venues.Max(v => v.Index) + 1;
            _venueOf = new VenueRuntime?[count];
            _marketsOf = new Dictionary<string, MarketHandle>?[count];
            _marketLookups = new Dictionary<string, MarketHandle>.AlternateLookup<ReadOnlySpan<byte>>[count];
            _skipped = new long[count];
            foreach (RecordedVenue recorded in source.Venues)
            {
                VenueRuntime? venue = host.Venues.FirstOrDefault(v => v.Name == recorded.Name);
                if (venue is null)
                {
                    result.Warnings.Add($"{source.Name}: venue {recorded.Name} is not in the config; its records are skipped");
                    continue;
                }

                if (venue.Failure is not null)
                {
                    continue; // already reported by the host
                }

                _venueOf[recorded.Index] = venue;
                _marketsOf[recorded.Index] = venue.Subscriptions.ToDictionary(s => s.MarketId, s => s.Handle, Utf8IdComparer.Instance);
                _marketLookups[recorded.Index] = _marketsOf[recorded.Index]!.GetAlternateLookup<ReadOnlySpan<byte>>();
            }

            foreach (VenueRuntime venue in host.Venues)
            {
                if (!source.Venues.Any(v => v.Name == venue.Name))
                {
                    result.Warnings.Add($"{source.Name}: has nothing from venue {venue.Name}; its books stay stale");
                }
            }
        }

        public void Apply(in SessionRecord record, long timestamp)
        {
            VenueRuntime? venue = record.Venue < _venueOf.Length ? _venueOf[record.Venue] : null;
            if (venue is null)
            {
                return;
            }

            switch (record.Kind)
            {
                case RecordKind.Frame when venue.Decoder is { } decoder:
                    if (decoder.Decode(record.Stream, record.Payload.Span, timestamp) is { } problem)
                    {
                        Warn("frame", $"{_source.Where(record.Location)}: {venue.Name} frame skipped: {problem}");
                    }

                    break;
                case RecordKind.Frame:
                    Warn("noframes", $"{_source.Where(record.Location)}: venue {venue.Name} (plugin {venue.Plugin?.Descriptor.Name}) cannot replay raw frames; write its market data as book/delta lines");
                    break;
                case RecordKind.Mark:
                    venue.Decoder?.Mark(record.Stream, Encoding.UTF8.GetString(record.Payload.Span));
                    break;
                case RecordKind.Delta:
                    if (MarketDeltaBinary.Apply(record.Payload.Span, _marketLookups[record.Venue], timestamp, venue.Sink, out bool skipped) is { } bad)
                    {
                        Warn("event", $"{_source.Where(record.Location)}: {venue.Name} level change skipped: {bad}");
                    }
                    else if (skipped)
                    {
                        _skipped[record.Venue]++;
                    }

                    break;
                case RecordKind.Event:
                    string? wrong = MarketEventJson.Apply(record.Payload.Span, _marketsOf[record.Venue]!, venue.Decoder?.BookStyle ?? venue.ReplayStyle ?? BookStyle.TwoSided, timestamp, venue.Sink, out bool unknown);
                    if (wrong is not null)
                    {
                        Warn("event", $"{_source.Where(record.Location)}: {venue.Name} event skipped: {wrong}");
                    }
                    else if (unknown)
                    {
                        _skipped[record.Venue]++;
                    }

                    break;
            }
        }

        public void Summarise()
        {
            foreach ((string kind, long count) in _warningCounts)
            {
                if (count > MaxWarningsPerKind)
                {
                    _result.Warnings.Add($"... and {count - MaxWarningsPerKind:N0} more like the above ({kind})");
                }
            }

            for (int i = 0; i < _skipped.Length; i++)
            {
                if (_skipped[i] > 0)
                {
                    _result.Warnings.Add($"{_source.Name}: {_skipped[i]:N0} events of {_venueOf[i]?.Name} were about markets the config does not pair; skipped");
                }
            }
        }

        private void Warn(string kind, string message)
        {
            long n = _warningCounts[kind] = _warningCounts.GetValueOrDefault(kind) + 1;
            if (n <= MaxWarningsPerKind)
            {
                _result.Warnings.Add(message);
            }
        }
    }
}
