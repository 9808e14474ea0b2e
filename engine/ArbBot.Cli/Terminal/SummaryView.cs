using System.Globalization;
using ArbBot.Engine.Execution;
using ArbBot.Engine.Hosting;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace ArbBot.Cli.Terminal;

/// <summary>How the run summary looks: a table for terminals, one line for logs and pipes.</summary>
internal static class SummaryView
{
    public static IRenderable Table(EngineSummary s, IReadOnlyList<string> errors)
    {
        var venues = new Table().Title($"arbbot run: {Format(s.Elapsed)}")
            .AddColumns("venue", "plugin", "status", "books", "stale", "updates/s", "deltas", "snapshots", "gaps", "drifted", "invalidated", "rejected", "trades");
        foreach (VenueSummary v in s.Venues)
        {
            venues.AddRow(
                Markup.Escape(v.Name),
                Markup.Escape(v.Plugin),
                v.Status == "connected" ? "[green]connected[/]" : $"[yellow]{Markup.Escape(v.Status)}[/]",
                N(v.Books),
                v.StaleBooks == 0 ? "0" : $"[yellow]{v.StaleBooks}[/]",
                v.UpdatesPerSecond.ToString("0", CultureInfo.InvariantCulture),
                N(v.Deltas),
                N(v.Snapshots),
                N(v.Gaps),
                N(v.Drifts),
                N(v.Invalidations),
                N(v.Rejected),
                N(v.Trades));
        }

        var totals = new Grid().AddColumn().AddColumn();
        totals.AddRow("events (pairs)", N(s.Events));
        totals.AddRow("books (stale / crossed)", $"{s.Books} ({s.StaleBooks} / {s.CrossedBooks})");
        totals.AddRow("cross-venue gross edges open now", N(s.PairsWithGrossEdge));
        totals.AddRow("cross-venue gross edges seen", N(s.GrossEdgeSightings));
        totals.AddRow("kernel events", N(s.EventsProcessed));
        totals.AddRow("back-pressure waits / max queue", $"{s.BackPressureWaits} / {s.QueueDepthMax}");
        totals.AddRow("redis mirror", Markup.Escape(Mirror(s.Mirror)));
        if (s.Ownership is { } ownership)
        {
            totals.AddRow("pairs owned", Markup.Escape($"{ownership.Owned.Count} of {s.Events} ({ownership.Role}, share {ownership.Share}): {string.Join(" ", ownership.Owned)}"));
        }

        if (s.SharedBudget is { } budget)
        {
            totals.AddRow("shared budget", Markup.Escape($"\"{budget.Name}\": granted ${budget.Granted} of ${budget.Total} ({budget.Mode})"));
        }

        var rows = new List<IRenderable> { venues };
        if (s.Strategies.Count > 0)
        {
            var strategies = new Table().AddColumns("strategy", "version", "status", "calls", "errors", "reloads", "opportunities", "intent groups");
            foreach (StrategySummary st in s.Strategies)
            {
                strategies.AddRow(
                    Markup.Escape(st.Name),
                    Markup.Escape(st.Version),
                    st.Status == "running" ? "[green]running[/]" : $"[red]{Markup.Escape(st.Status)}[/]",
                    N(st.Calls),
                    N(st.Errors),
                    N(st.Reloads),
                    N(st.Opportunities),
                    N(st.IntentGroups));
            }

            rows.Add(strategies);
        }

        rows.Add(totals);
        if (s.Execution is { } x)
        {
            rows.Add(ExecutionGrid(x));
        }

        foreach (string error in errors)
        {
            rows.Add(new Markup($"[red]{Markup.Escape(error)}[/]"));
        }

        return new Rows(rows);
    }

    /// <summary>The trading part: attempts, fills, legged episodes, P&amp;L, exposure, risk.</summary>
    public static IRenderable ExecutionGrid(ExecutionSummary x)
    {
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("trading", Markup.Escape($"{x.Mode}; orders via {string.Join(", ", x.Routes.Select(r => $"{r.Venue} {r.Kind}"))}"));
        grid.AddRow("attempts", Markup.Escape($"{N(x.Attempts)} ({Breakdown(x.AttemptsByStatus)}); duplicates dropped {N(x.DuplicatesDropped)}"));
        grid.AddRow("orders / filled / fills", Markup.Escape($"{N(x.OrdersSent)} / {N(x.OrdersFilled)} ({Percent(x.OrdersFilled, x.OrdersSent)}) / {N(x.Fills)}; working {x.WorkingOrders}; fills during cancel {x.FillsDuringCancel}"));
        grid.AddRow("edge realised / predicted", Markup.Escape($"${x.RealisedEdge} / ${x.PredictedEdge}"));
        grid.AddRow("legged episodes", Markup.Escape($"{x.LeggedEpisodes} ended ({Breakdown(x.LeggedByResolution.ToDictionary(k => k.Key, k => (long)k.Value))}), cost ${x.LeggedLoss}; open now {x.LeggedOpen}"));
        grid.AddRow("P&L realised / locked in", Markup.Escape($"${x.Realised} / ${x.LockedIn}"));
        grid.AddRow("unhedged now / max seen", x.UnhedgedExposure.Micros == 0
            ? Markup.Escape($"$0 / ${x.MaxUnhedgedSeen}")
            : $"[yellow]{Markup.Escape($"${x.UnhedgedExposure} (marked {x.UnhedgedMarkToMarket})")}[/]{Markup.Escape($" / ${x.MaxUnhedgedSeen}")}");
        grid.AddRow("risk rejections", Markup.Escape(x.Rejections.Count == 0 ? "0" : Breakdown(x.Rejections)));
        grid.AddRow("kill switch", x.Kill == "off" ? "off" : $"[red]{Markup.Escape(x.Kill)}[/]");
        if (x.FillLogFailures > 0)
        {
            grid.AddRow("fill log", $"[red]{x.FillLogFailures} write failures (retried; see the log)[/]");
        }
        return grid;
    }

    public static string Line(EngineSummary s)
    {
        string venues = string.Join(", ", s.Venues.Select(v =>
            string.Create(CultureInfo.InvariantCulture, $"{v.Name} {v.Status} {v.UpdatesPerSecond:0}/s ({v.Deltas} deltas, {v.StaleBooks} stale{(v.Trades > 0 ? $", {v.Trades} trades" : "")}{(v.Drifts > 0 ? $", {v.Drifts} drifted" : "")})")));
        string strategies = s.Strategies.Count == 0
            ? ""
            : "; opportunities " + string.Join(", ", s.Strategies.Select(st =>
                string.Create(CultureInfo.InvariantCulture, $"{st.Name} {st.Opportunities}{(st.Status == "running" ? "" : " (off)")}")));
        string down = string.Join(", ", s.Venues.Where(v => v.Status == "failed").Select(v => v.Name));
        return string.Create(CultureInfo.InvariantCulture,
            $"[{Format(s.Elapsed)}] {(down.Length > 0 ? $"NOT RUNNING: {down} (see the log); " : "")}{venues}; books {s.Books}, stale {s.StaleBooks}, crossed {s.CrossedBooks}; gross edges open {s.PairsWithGrossEdge}, seen {s.GrossEdgeSightings}{strategies}; events {s.EventsProcessed}, back-pressure waits {s.BackPressureWaits}; mirror {Mirror(s.Mirror)}{(s.Execution is { } x ? "; " + ExecutionLine(x) : "")}");
    }

    /// <summary>The trading part in one line.</summary>
    public static string ExecutionLine(ExecutionSummary x) => string.Create(CultureInfo.InvariantCulture,
        $"attempts {x.Attempts} ({Breakdown(x.AttemptsByStatus)}), orders {x.OrdersSent}, filled {x.OrdersFilled}, fills {x.Fills}; legged {x.LeggedEpisodes} ended ({Breakdown(x.LeggedByResolution.ToDictionary(k => k.Key, k => (long)k.Value))}) cost ${x.LeggedLoss}, {x.LeggedOpen} open; realised ${x.Realised}, locked in ${x.LockedIn}, unhedged ${x.UnhedgedExposure} (max ${x.MaxUnhedgedSeen}); kill {x.Kill}");

    private static string Breakdown(IReadOnlyDictionary<string, long> counts) =>
        counts.Count == 0 ? "none" : string.Join(", ", counts.OrderByDescending(c => c.Value).Select(c => $"{c.Key} {c.Value.ToString("N0", CultureInfo.InvariantCulture)}"));

    private static string Percent(long part, long whole) =>
        whole == 0 ? "-" : (part * 100.0 / whole).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static string Mirror(Engine.Mirror.MirrorStatus m) => m.State != "connected"
        ? m.State
        : string.Create(CultureInfo.InvariantCulture, $"connected, {m.BooksWritten} book writes ({m.WritesPerSecond:0}/s), lag p50 {m.LagP50Ms:0.00} ms p99 {m.LagP99Ms:0.00} ms, {m.Resyncs} full syncs");

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Format(TimeSpan t) => t.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture);
}
