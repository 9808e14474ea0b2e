using System.Globalization;
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
            .AddColumns("venue", "plugin", "status", "books", "stale", "updates/s", "deltas", "snapshots", "gaps", "invalidated", "rejected");
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
                N(v.Invalidations),
                N(v.Rejected));
        }

        var totals = new Grid().AddColumn().AddColumn();
        totals.AddRow("events (pairs)", N(s.Events));
        totals.AddRow("books (stale / crossed)", $"{s.Books} ({s.StaleBooks} / {s.CrossedBooks})");
        totals.AddRow("cross-venue gross edges open now", N(s.PairsWithGrossEdge));
        totals.AddRow("cross-venue gross edges seen", N(s.GrossEdgeSightings));
        totals.AddRow("kernel events", N(s.EventsProcessed));
        totals.AddRow("back-pressure waits / max queue", $"{s.BackPressureWaits} / {s.QueueDepthMax}");
        totals.AddRow("redis mirror", Markup.Escape(Mirror(s.Mirror)));

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
        foreach (string error in errors)
        {
            rows.Add(new Markup($"[red]{Markup.Escape(error)}[/]"));
        }

        return new Rows(rows);
    }

    public static string Line(EngineSummary s)
    {
        string venues = string.Join(", ", s.Venues.Select(v =>
            string.Create(CultureInfo.InvariantCulture, $"{v.Name} {v.Status} {v.UpdatesPerSecond:0}/s ({v.Deltas} deltas, {v.StaleBooks} stale)")));
        string strategies = s.Strategies.Count == 0
            ? ""
            : "; opportunities " + string.Join(", ", s.Strategies.Select(st =>
                string.Create(CultureInfo.InvariantCulture, $"{st.Name} {st.Opportunities}{(st.Status == "running" ? "" : " (off)")}")));
        return string.Create(CultureInfo.InvariantCulture,
            $"[{Format(s.Elapsed)}] {venues}; books {s.Books}, stale {s.StaleBooks}, crossed {s.CrossedBooks}; gross edges open {s.PairsWithGrossEdge}, seen {s.GrossEdgeSightings}{strategies}; events {s.EventsProcessed}, back-pressure waits {s.BackPressureWaits}; mirror {Mirror(s.Mirror)}");
    }

    private static string Mirror(Engine.Mirror.MirrorStatus m) => m.State != "connected"
        ? m.State
        : string.Create(CultureInfo.InvariantCulture, $"connected, {m.BooksWritten} book writes ({m.WritesPerSecond:0}/s), lag p50 {m.LagP50Ms:0.00} ms p99 {m.LagP99Ms:0.00} ms, {m.Resyncs} full syncs");

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Format(TimeSpan t) => t.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture);
}
