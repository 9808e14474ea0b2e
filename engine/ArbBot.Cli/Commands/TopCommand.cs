using System.CommandLine;
using ArbBot.Cli.Dashboard;
using ArbBot.Cli.Terminal;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace ArbBot.Cli.Commands;

/// <summary><c>arbbot top</c>: the dashboard's core information as a live terminal table, for SSH sessions.</summary>
internal static class TopCommand
{
    public static Command Create()
    {
        var command = new Command("top", "Live terminal view of every engine's pairs, edges, feeds, positions and opportunities (from Redis)");
        Option<FileInfo> config = CommonOptions.Config();
        var once = new Option<bool>("--once") { Description = "Print one view and exit (for scripts)" };
        var duration = new Option<string?>("--duration", "-d") { Description = "Stop by itself after this long; default: until Ctrl+C" };
        command.Options.Add(config);
        command.Options.Add(once);
        command.Options.Add(duration);
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(config)!, parse.GetValue(once), parse.GetValue(duration), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(FileInfo configFile, bool once, string? durationText, CancellationToken cancellationToken)
    {
        if (CommonOptions.ParseDuration(durationText) is not { } duration || CommonOptions.LoadOrReport(configFile, readPairsFile: false) is not { } config)
        {
            return ExitCodes.BadConfig;
        }

        using DashboardReader reader = DashboardReader.Connect(config.Redis);
        if (once || !Screen.IsInteractive)
        {
            // Give the connection a moment: the first read would otherwise always say "not connected".
            for (int i = 0; i < 20 && (await reader.ReadAsync().ConfigureAwait(false)).Redis != "connected"; i++)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }

            Screen.Create().Write(View(await reader.ReadAsync().ConfigureAwait(false)));
            return ExitCodes.Ok;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (duration > TimeSpan.Zero)
        {
            stop.CancelAfter(duration);
        }

        await AnsiConsole.Live(View(await reader.ReadAsync().ConfigureAwait(false))).StartAsync(async live =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(DashboardServer.Interval, stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                live.UpdateTarget(View(await reader.ReadAsync().ConfigureAwait(false)));
            }
        }).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    internal static IRenderable View(DashboardSnapshot s)
    {
        var engines = new Table().Title("engines").AddColumns("engine", "heartbeat", "book updates", "latency p50/p99 us", "mirror lag p50/p99 ms", "pairs owned", "P&L", "kill switch");
        foreach (EngineView e in s.Engines)
        {
            engines.AddRow(
                Markup.Escape(e.Id),
                e.Alive ? $"{e.HeartbeatAgeMs} ms ago" : $"[red]lost ({e.HeartbeatAgeMs} ms)[/]",
                e.BookUpdates.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Markup.Escape($"{e.Status?["latency_p50_us"]} / {e.Status?["latency_p99_us"]}"),
                Markup.Escape($"{e.MirrorLagP50Ms} / {e.MirrorLagP99Ms}"),
                Markup.Escape(e.Ownership),
                Markup.Escape($"${e.Status?["execution"]?["pnl"]}"),
                Markup.Escape(e.Status?["execution"]?["kill"]?.ToString() ?? "-"));
        }

        var pairs = new Table().Title("pairs: best bid / ask (size); edge = YES here + NO on the other venue, after fees").AddColumns("event", "venue", "YES bid", "YES ask", "NO bid", "NO ask", "age", "edge");
        foreach (PairView pair in s.Pairs)
        {
            foreach (LegView leg in pair.Legs)
            {
                EdgeView? edge = pair.Edges.FirstOrDefault(e => e.YesVenue == leg.Venue);
                bool stale = leg.Yes is null || leg.No is null || leg.Yes.Stale || leg.No.Stale || Math.Max(leg.Yes.AgeMs, leg.No.AgeMs) > 5_000;
                string edgeText = edge is { Edge.Length: > 0 } ? $"${edge.Edge} x{edge.Size} (${edge.EdgePerContract}/contract)" : "-";
                pairs.AddRow(
                    Markup.Escape(leg == pair.Legs[0] ? pair.Event : ""),
                    Markup.Escape(leg.Venue),
                    Markup.Escape(Side(leg.Yes, bid: true)),
                    Markup.Escape(Side(leg.Yes, bid: false)),
                    Markup.Escape(Side(leg.No, bid: true)),
                    Markup.Escape(Side(leg.No, bid: false)),
                    stale ? "[yellow]stale[/]" : $"{Math.Max(leg.Yes!.AgeMs, leg.No!.AgeMs)} ms",
                    edge is { Positive: true } ? $"[green]{Markup.Escape(edgeText)}[/]" : Markup.Escape(edgeText));
            }
        }

        var feeds = new Table().Title("feeds").AddColumns("engine", "venue", "status", "updates/s", "last message", "reconnects", "books", "stale");
        foreach (EngineView e in s.Engines)
        {
            foreach (System.Text.Json.Nodes.JsonNode? v in e.Status?["venues"]?.AsArray() ?? [])
            {
                feeds.AddRow(Markup.Escape(e.Id), Markup.Escape($"{v?["name"]}"), Markup.Escape($"{v?["status"]}"), Markup.Escape($"{v?["updates_per_s"]}"),
                    Markup.Escape(v?["last_update_age_ms"] is { } age ? $"{age} ms ago" : "never"), Markup.Escape($"{v?["reconnects"]}"), Markup.Escape($"{v?["books"]}"), Markup.Escape($"{v?["stale"]}"));
            }
        }

        var opportunities = new Table().Title("recent opportunities").AddColumns("time", "strategy", "event", "edge", "size", "what happened");
        foreach (OpportunityView o in s.Opportunities.Take(8))
        {
            opportunities.AddRow(DateTimeOffset.FromUnixTimeMilliseconds(o.TimestampMs).ToLocalTime().ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
                Markup.Escape(o.Strategy), Markup.Escape(o.Event), Markup.Escape("$" + o.Edge), Markup.Escape(o.Size), Markup.Escape(o.Detail.Length > 0 ? $"{o.Outcome}: {o.Detail}" : o.Outcome));
        }

        return new Rows(new Markup($"redis {Markup.Escape(s.Redis)}; {s.Engines.Count(e => e.Alive)} engines alive"), engines, pairs, feeds, opportunities);
    }

    private static string Side(TopView? book, bool bid) =>
        book is null ? "-" : bid ? (book.Bid.Length > 0 ? $"{book.Bid} ({book.BidSize})" : "-") : (book.Ask.Length > 0 ? $"{book.Ask} ({book.AskSize})" : "-");
}
