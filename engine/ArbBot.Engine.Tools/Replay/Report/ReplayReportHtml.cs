using System.Globalization;
using System.Net;
using System.Text;
using ArbBot.Abstractions.FixedPoint;

namespace ArbBot.Engine.Replay.Report;

/// <summary>
/// The replay's results as one self-contained HTML page (no scripts, no external files): totals,
/// per-strategy figures, P&amp;L over time and the histogram of detected edges as inline SVG, then
/// the opportunities, legged episodes and warnings.
/// </summary>
public static class ReplayReportHtml
{
    /// <summary>Rows of the opportunities table (all of them are in report.json).</summary>
    public const int MaxOpportunityRows = 1_000;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Renders the page.</summary>
    public static string Render(ReplayResult result)
    {
        var html = new StringBuilder(64 * 1024);
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>ArbBot replay: ").Append(E(result.Recording)).Append("</title><style>")
            .Append("body{font:14px system-ui,sans-serif;margin:24px;color:#222}h1{font-size:20px}h2{font-size:16px;margin-top:28px}")
            .Append("table{border-collapse:collapse}td,th{padding:3px 8px;border-bottom:1px solid #ddd;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}")
            .Append(".warn{color:#a60}.chart{border:1px solid #ddd;background:#fafafa}.legend span{margin-right:16px}</style></head><body>");
        html.Append("<h1>Replay of ").Append(E(result.Recording)).Append("</h1><p>")
            .Append(result.Records.ToString("N0", Inv)).Append(" records from ").Append(Time(result.FromMs)).Append(" to ").Append(Time(result.ToMs))
            .Append(" UTC (").Append(TimeSpan.FromMilliseconds(result.ToMs - result.FromMs).ToString(@"hh\:mm\:ss", Inv)).Append("); ")
            .Append(result.KernelEvents.ToString("N0", Inv)).Append(" engine events.</p>");
        Totals(html, result);
        Strategies(html, result);
        html.Append("<h2>P&amp;L over time</h2>");
        PnlChart(html, result);
        html.Append("<h2>Detected edges (per contract, after fees)</h2>");
        Histogram(html, EdgeHistogram.Of(result.Opportunities));
        Opportunities(html, result);
        Orders(html, result);
        Legged(html, result);
        if (result.Warnings.Count > 0)
        {
            html.Append("<h2>Warnings</h2><ul>");
            foreach (string warning in result.Warnings)
            {
                html.Append("<li class=\"warn\">").Append(E(warning)).Append("</li>");
            }

            html.Append("</ul>");
        }

        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static void Totals(StringBuilder html, ReplayResult result)
    {
        html.Append("<h2>Totals</h2><table>");
        Row(html, "opportunities", result.Opportunities.Count.ToString("N0", Inv));
        Row(html, "attempts", string.Join(", ", result.AttemptOutcomes.Select(a => $"{a.Key} {a.Value:N0}")));
        if (result.Execution is { } x)
        {
            Row(html, "orders sent / filled", $"{x.OrdersSent:N0} / {x.OrdersFilled:N0}");
            Row(html, "fills", x.Fills.ToString("N0", Inv));
            Row(html, "locked in", "$" + x.LockedIn);
            Row(html, "realised", "$" + x.Realised);
            Row(html, "legged episodes (loss)", $"{x.LeggedEpisodes + x.LeggedOpen} (${x.LeggedLoss})");
            Row(html, "unhedged at the end / largest", $"${x.UnhedgedExposure} / ${x.MaxUnhedgedSeen}");
            Row(html, "edge predicted / realised", $"${x.PredictedEdge} / ${x.RealisedEdge}");
            if (x.Rejections.Count > 0)
            {
                Row(html, "risk rejections", string.Join(", ", x.Rejections.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key} {r.Value:N0}")));
            }
        }

        html.Append("</table>");
    }

    private static void Strategies(StringBuilder html, ReplayResult result)
    {
        html.Append("<h2>Strategies</h2><table><tr><th>strategy</th><th>version</th><th>calls</th><th>errors</th><th>opportunities</th><th>intent groups</th><th>expected edge</th><th>what became of them</th></tr>");
        foreach (ReplayStrategyStats s in result.Strategies)
        {
            html.Append("<tr><td>").Append(E(s.Name)).Append("</td><td>").Append(E(s.Version)).Append("</td><td class=\"n\">").Append(s.Calls.ToString("N0", Inv))
                .Append("</td><td class=\"n\">").Append(s.Errors.ToString("N0", Inv)).Append("</td><td class=\"n\">").Append(s.Opportunities.ToString("N0", Inv))
                .Append("</td><td class=\"n\">").Append(s.Groups.ToString("N0", Inv)).Append("</td><td class=\"n\">$").Append(s.ExpectedEdge)
                .Append("</td><td>").Append(E(string.Join(", ", s.Attempts.Select(a => $"{a.Key} {a.Value:N0}")))).Append("</td></tr>");
        }

        html.Append("</table>");
    }

    private static void PnlChart(StringBuilder html, ReplayResult result)
    {
        const int W = 900, H = 260, L = 70, R = 20, T = 15, B = 30;
        List<ReplayPnlPoint> points = result.Pnl;
        if (points.Count == 0)
        {
            html.Append("<p>No P&amp;L: nothing filled.</p>");
            return;
        }

        long t0 = Math.Min(result.FromMs, points[0].TimeMs);
        long t1 = Math.Max(Math.Max(result.ToMs, points[^1].TimeMs), t0 + 1);
        long lo = Math.Min(0, points.Min(p => Math.Min(p.Realised.Micros, Math.Min(p.LockedIn.Micros, -p.Unhedged.Micros))));
        long hi = Math.Max(1, points.Max(p => Math.Max(p.Realised.Micros, p.LockedIn.Micros)));
        double X(long t) => L + ((double)(t - t0) / (t1 - t0) * (W - L - R));
        double Y(long v) => T + ((double)(hi - v) / (hi - lo) * (H - T - B));
        html.Append(Inv, $"<svg class=\"chart\" width=\"{W}\" height=\"{H}\" viewBox=\"0 0 {W} {H}\" xmlns=\"http://www.w3.org/2000/svg\">");
        html.Append(Inv, $"<line x1=\"{L}\" y1=\"{Y(0):F1}\" x2=\"{W - R}\" y2=\"{Y(0):F1}\" stroke=\"#999\"/>");
        html.Append(Inv, $"<text x=\"{L - 6}\" y=\"{Y(hi) + 4:F1}\" text-anchor=\"end\" font-size=\"11\">${Money.FromMicros(hi)}</text>");
        html.Append(Inv, $"<text x=\"{L - 6}\" y=\"{Y(0) + 4:F1}\" text-anchor=\"end\" font-size=\"11\">$0</text>");
        if (lo < 0)
        {
            html.Append(Inv, $"<text x=\"{L - 6}\" y=\"{Y(lo) + 4:F1}\" text-anchor=\"end\" font-size=\"11\">${Money.FromMicros(lo)}</text>");
        }

        html.Append(Inv, $"<text x=\"{L}\" y=\"{H - 8}\" font-size=\"11\">{Time(t0)}</text><text x=\"{W - R}\" y=\"{H - 8}\" font-size=\"11\" text-anchor=\"end\">{Time(t1)}</text>");
        Line(html, points, p => p.LockedIn.Micros, "#2a7", X, Y, t1);
        Line(html, points, p => p.Realised.Micros, "#27c", X, Y, t1);
        Line(html, points, p => -p.Unhedged.Micros, "#c52", X, Y, t1);
        html.Append("</svg><p class=\"legend\"><span style=\"color:#2a7\">&#9632; locked in</span><span style=\"color:#27c\">&#9632; realised</span><span style=\"color:#c52\">&#9632; unhedged cost (negative)</span></p>");
    }

    private static void Line(StringBuilder html, List<ReplayPnlPoint> points, Func<ReplayPnlPoint, long> value, string colour, Func<long, double> x, Func<long, double> y, long end)
    {
        // A step line: each value holds until the next change.
        html.Append("<polyline fill=\"none\" stroke=\"").Append(colour).Append("\" stroke-width=\"1.5\" points=\"");
        long previous = 0;
        html.Append(Inv, $"{x(points[0].TimeMs):F1},{y(0):F1} ");
        foreach (ReplayPnlPoint p in points)
        {
            html.Append(Inv, $"{x(p.TimeMs):F1},{y(previous):F1} {x(p.TimeMs):F1},{y(value(p)):F1} ");
            previous = value(p);
        }

        html.Append(Inv, $"{x(end):F1},{y(previous):F1}\"/>");
    }

    private static void Histogram(StringBuilder html, EdgeHistogram histogram)
    {
        if (histogram.Buckets.Count == 0)
        {
            html.Append("<p>No opportunities were found.</p>");
            return;
        }

        const int W = 900, H = 240, L = 50, B = 40, T = 15;
        int max = histogram.Buckets.Max(b => b.Count);
        double barWidth = (double)(W - L - 10) / histogram.Buckets.Count;
        html.Append(Inv, $"<svg class=\"chart\" width=\"{W}\" height=\"{H}\" viewBox=\"0 0 {W} {H}\" xmlns=\"http://www.w3.org/2000/svg\">");
        html.Append(Inv, $"<text x=\"{L - 6}\" y=\"{T + 4}\" text-anchor=\"end\" font-size=\"11\">{max}</text><text x=\"{L - 6}\" y=\"{H - B}\" text-anchor=\"end\" font-size=\"11\">0</text>");
        for (int i = 0; i < histogram.Buckets.Count; i++)
        {
            (Money from, Money to, int count) = histogram.Buckets[i];
            double height = (double)count / max * (H - T - B);
            double x = L + (i * barWidth);
            html.Append(Inv, $"<rect x=\"{x + 1:F1}\" y=\"{H - B - height:F1}\" width=\"{Math.Max(1, barWidth - 2):F1}\" height=\"{height:F1}\" fill=\"#27c\"><title>${from} to ${to}: {count}</title></rect>");
            if (i % Math.Max(1, histogram.Buckets.Count / 10) == 0)
            {
                html.Append(Inv, $"<text x=\"{x + 1:F1}\" y=\"{H - B + 14}\" font-size=\"10\">{Cents(from)}</text>");
            }
        }

        html.Append(Inv, $"<text x=\"{W / 2}\" y=\"{H - 6}\" font-size=\"11\" text-anchor=\"middle\">edge per contract, cents (buckets of {Cents(histogram.BucketWidth)})</text></svg>");
    }

    private static void Opportunities(StringBuilder html, ReplayResult result)
    {
        html.Append("<h2>Opportunities</h2>");
        if (result.Opportunities.Count > MaxOpportunityRows)
        {
            html.Append(Inv, $"<p>The first {MaxOpportunityRows:N0} of {result.Opportunities.Count:N0}; every one is in report.json.</p>");
        }

        html.Append("<table><tr><th>time (UTC)</th><th>strategy</th><th>event</th><th>legs</th><th>edge</th><th>per contract</th><th>what happened</th></tr>");
        foreach (ReplayOpportunity o in result.Opportunities.Take(MaxOpportunityRows))
        {
            string legs = string.Join("; ", o.Legs.Select(l => $"{l.Side} {l.Size} {l.Outcome.ToUpperInvariant()} @ {l.Price} on {l.Venue} {l.Market}"));
            html.Append("<tr><td>").Append(Time(o.TimeMs)).Append("</td><td>").Append(E(o.Strategy)).Append("</td><td>").Append(E(o.EventId)).Append("</td><td>").Append(E(legs))
                .Append("</td><td class=\"n\">$").Append(o.Edge).Append("</td><td class=\"n\">$").Append(o.EdgePerContract).Append("</td><td>")
                .Append(E(o.Outcome.Length == 0 ? "not sent" : o.Outcome + (o.OutcomeDetail.Length > 0 ? ": " + o.OutcomeDetail : ""))).Append("</td></tr>");
        }

        html.Append("</table>");
    }

    private static void Orders(StringBuilder html, ReplayResult result)
    {
        html.Append("<h2>Orders and fills</h2>");
        if (result.Orders.Count == 0)
        {
            html.Append("<p>No order was sent.</p>");
            return;
        }

        if (result.Orders.Count > MaxOpportunityRows)
        {
            html.Append(Inv, $"<p>The first {MaxOpportunityRows:N0} of {result.Orders.Count:N0}; every one, and every fill, is in report.json.</p>");
        }

        var fillsByOrder = result.Fills.GroupBy(f => f.ClientOrderId).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        html.Append("<table><tr><th>time (UTC)</th><th>order</th><th>venue</th><th>type</th><th>status</th><th>fills</th></tr>");
        foreach (ReplayOrder o in result.Orders.Take(MaxOpportunityRows))
        {
            string fills = fillsByOrder.TryGetValue(o.ClientOrderId, out List<ReplayFill>? list)
                ? string.Join("; ", list.Select(f => $"{f.Size} @ {f.Price} fee ${f.Fee}{(f.Maker ? " (maker)" : "")}"))
                : "-";
            html.Append("<tr><td>").Append(Time(o.TimeMs)).Append("</td><td>").Append(E($"{o.Side} {o.Size} {o.Outcome.ToUpperInvariant()} @ {o.Price} {o.Market}"))
                .Append("</td><td>").Append(E(o.Venue)).Append("</td><td>").Append(E(o.TimeInForce + (o.PostOnly ? ", post-only" : "")))
                .Append("</td><td>").Append(E(o.Status + (o.Reason is { } r ? ": " + r : ""))).Append("</td><td>").Append(E(fills)).Append("</td></tr>");
        }

        html.Append("</table>");
    }

    private static void Legged(StringBuilder html, ReplayResult result)
    {
        html.Append("<h2>Legged episodes</h2>");
        if (result.Legged.Count == 0)
        {
            html.Append("<p>None.</p>");
            return;
        }

        html.Append("<table><tr><th>event</th><th>started</th><th>ended</th><th>held</th><th>cost</th><th>resolution</th><th>loss</th></tr>");
        foreach (ReplayLegged l in result.Legged)
        {
            html.Append("<tr><td>").Append(E(l.EventId)).Append("</td><td>").Append(Time(l.StartedMs)).Append("</td><td>").Append(l.EndedMs is { } e ? Time(e) : "-")
                .Append("</td><td>").Append(E($"{l.Quantity} {l.Outcome.ToUpperInvariant()}")).Append("</td><td class=\"n\">$").Append(l.Cost)
                .Append("</td><td>").Append(E(l.Resolution)).Append("</td><td class=\"n\">").Append(l.Loss is { } loss ? "$" + loss : "-").Append("</td></tr>");
        }

        html.Append("</table>");
    }

    private static void Row(StringBuilder html, string name, string value) =>
        html.Append("<tr><th>").Append(E(name)).Append("</th><td>").Append(E(value)).Append("</td></tr>");

    private static string Cents(Money money) => (money.Micros / 10_000m).ToString("0.##", Inv);

    private static string Time(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs).ToString("yyyy-MM-dd HH:mm:ss.fff", Inv);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
