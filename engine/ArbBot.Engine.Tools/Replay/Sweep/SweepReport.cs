using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using ArbBot.Abstractions.FixedPoint;

namespace ArbBot.Engine.Replay.Sweep;

/// <summary>
/// A sweep's table in the forms people and scripts read: CSV (one row per combination and
/// recording), JSON (the same, with totals per combination) and one self-contained HTML page (a
/// bar chart of each combination's P&amp;L over all recordings, then the table). Money is exact
/// decimal text. Wall times are left out of CSV and JSON so that two sweeps compare byte for byte.
/// </summary>
public static class SweepReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Totals of one combination over every recording.</summary>
    public sealed record CombinationTotals(SweepCombination Combination, int Opportunities, int Fills, Money Realised, Money LockedIn, Money LeggedCost)
    {
        /// <summary>Realised plus locked in.</summary>
        public Money Pnl => Realised + LockedIn;
    }

    /// <summary>Each combination's figures added over the recordings, in grid order.</summary>
    public static IReadOnlyList<CombinationTotals> Totals(SweepResult result) =>
        result.Rows.GroupBy(r => r.Combination.Index).OrderBy(g => g.Key).Select(g => new CombinationTotals(
            g.First().Combination,
            g.Sum(r => r.Opportunities),
            g.Sum(r => r.Fills),
            Sum(g, r => r.Realised),
            Sum(g, r => r.LockedIn),
            Sum(g, r => r.LeggedCost))).ToList();

    /// <summary>The rows as CSV: one column per swept parameter, then the recording and the figures.</summary>
    public static string Csv(SweepResult result)
    {
        var csv = new StringBuilder();
        csv.AppendJoin(',', result.Axes.Select(a => Quote(a.Name))).Append(",recording,opportunities,fills,realised,locked_in,pnl,legged_cost,unhedged_at_end,records,problems\n");
        foreach (SweepRow row in result.Rows)
        {
            csv.AppendJoin(',', row.Combination.Settings.Select(s => Quote(s.Value))).Append(',')
                .Append(Quote(row.Recording)).Append(',')
                .Append(row.Opportunities.ToString(Inv)).Append(',').Append(row.Fills.ToString(Inv)).Append(',')
                .Append(row.Realised).Append(',').Append(row.LockedIn).Append(',').Append(row.Pnl).Append(',')
                .Append(row.LeggedCost).Append(',').Append(row.Unhedged).Append(',').Append(row.Records.ToString(Inv)).Append(',')
                .Append(Quote(string.Join("; ", row.Problems))).Append('\n');
        }

        return csv.ToString();
    }

    /// <summary>The rows and the totals per combination as JSON.</summary>
    public static void Json(Stream output, SweepResult result)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteStartArray("axes");
        foreach (SweepAxis axis in result.Axes)
        {
            json.WriteStartObject();
            json.WriteString("strategy", axis.Strategy);
            json.WriteString("parameter", axis.Parameter);
            WriteStrings(json, "values", axis.Values);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        WriteStrings(json, "recordings", result.Recordings);
        json.WriteStartArray("rows");
        foreach (SweepRow row in result.Rows)
        {
            json.WriteStartObject();
            WriteParameters(json, row.Combination);
            json.WriteString("recording", row.Recording);
            json.WriteNumber("opportunities", row.Opportunities);
            json.WriteNumber("fills", row.Fills);
            json.WriteString("realised", row.Realised.ToString());
            json.WriteString("locked_in", row.LockedIn.ToString());
            json.WriteString("pnl", row.Pnl.ToString());
            json.WriteString("legged_cost", row.LeggedCost.ToString());
            json.WriteString("unhedged_at_end", row.Unhedged.ToString());
            json.WriteNumber("records", row.Records);
            WriteStrings(json, "problems", row.Problems);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("totals");
        foreach (CombinationTotals total in Totals(result))
        {
            json.WriteStartObject();
            WriteParameters(json, total.Combination);
            json.WriteNumber("opportunities", total.Opportunities);
            json.WriteNumber("fills", total.Fills);
            json.WriteString("realised", total.Realised.ToString());
            json.WriteString("locked_in", total.LockedIn.ToString());
            json.WriteString("pnl", total.Pnl.ToString());
            json.WriteString("legged_cost", total.LeggedCost.ToString());
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>The page: a bar per combination (P&amp;L over all recordings, legged cost beside it), then every row.</summary>
    public static string Html(SweepResult result)
    {
        IReadOnlyList<CombinationTotals> totals = Totals(result);
        var html = new StringBuilder(32 * 1024);
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>ArbBot parameter sweep</title><style>")
            .Append("body{font:14px system-ui,sans-serif;margin:24px;color:#222}h1{font-size:20px}h2{font-size:16px;margin-top:28px}")
            .Append("table{border-collapse:collapse}td,th{padding:3px 8px;border-bottom:1px solid #ddd;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}")
            .Append(".chart{border:1px solid #ddd;background:#fafafa}.warn{color:#a60}</style></head><body>");
        html.Append("<h1>Parameter sweep</h1><p>").Append(totals.Count.ToString(Inv)).Append(" combinations of ")
            .Append(E(string.Join(", ", result.Axes.Select(a => a.Name)))).Append(" over ").Append(E(string.Join(", ", result.Recordings)))
            .Append(": ").Append(result.Rows.Count.ToString(Inv)).Append(" replays, ").Append(result.Parallelism.ToString(Inv)).Append(" at a time.</p>");
        html.Append("<h2>P&amp;L per combination, all recordings (realised + locked in)</h2>");
        Chart(html, totals);
        html.Append("<h2>Every replay</h2><table><tr>");
        foreach (SweepAxis axis in result.Axes)
        {
            html.Append("<th>").Append(E(axis.Name)).Append("</th>");
        }

        html.Append("<th>recording</th><th>opportunities</th><th>fills</th><th>realised</th><th>locked in</th><th>P&amp;L</th><th>legged cost</th><th>problems</th></tr>");
        foreach (SweepRow row in result.Rows)
        {
            html.Append("<tr>");
            foreach ((SweepAxis _, string value) in row.Combination.Settings)
            {
                html.Append("<td>").Append(E(value)).Append("</td>");
            }

            html.Append("<td>").Append(E(row.Recording)).Append("</td><td class=\"n\">").Append(row.Opportunities.ToString(Inv)).Append("</td><td class=\"n\">")
                .Append(row.Fills.ToString(Inv)).Append("</td><td class=\"n\">").Append(row.Realised).Append("</td><td class=\"n\">").Append(row.LockedIn)
                .Append("</td><td class=\"n\">").Append(row.Pnl).Append("</td><td class=\"n\">").Append(row.LeggedCost).Append("</td><td class=\"warn\">")
                .Append(E(string.Join("; ", row.Problems))).Append("</td></tr>");
        }

        html.Append("</table></body></html>\n");
        return html.ToString();
    }

    /// <summary>Horizontal bars from a zero line: P&amp;L in green (red when negative), legged cost as a thin bar under it.</summary>
    private static void Chart(StringBuilder html, IReadOnlyList<CombinationTotals> totals)
    {
        const int Label = 360, Width = 420, Bar = 16, Gap = 12;
        long extreme = Math.Max(1, totals.Select(t => Math.Max(Math.Abs(t.Pnl.Micros), Math.Abs(t.LeggedCost.Micros))).DefaultIfEmpty(1).Max());
        bool anyNegative = totals.Any(t => t.Pnl.Micros < 0 || t.LeggedCost.Micros < 0);
        double zero = Label + (anyNegative ? Width / 2.0 : 0);
        double scale = (anyNegative ? Width / 2.0 : Width) / extreme;
        int height = (totals.Count * (Bar + Gap)) + Gap;
        html.Append("<svg class=\"chart\" width=\"").Append(Label + Width + 120).Append("\" height=\"").Append(height).Append("\" xmlns=\"http://www.w3.org/2000/svg\">");
        for (int i = 0; i < totals.Count; i++)
        {
            CombinationTotals t = totals[i];
            int y = Gap + (i * (Bar + Gap));
            double pnl = t.Pnl.Micros * scale, legged = t.LeggedCost.Micros * scale;
            html.Append("<text x=\"4\" y=\"").Append(y + 12).Append("\" font-size=\"11\">").Append(E(t.Combination.Label)).Append("</text>");
            html.Append("<rect x=\"").Append(F(Math.Min(zero, zero + pnl))).Append("\" y=\"").Append(y).Append("\" width=\"").Append(F(Math.Abs(pnl)))
                .Append("\" height=\"").Append(Bar - 5).Append("\" fill=\"").Append(t.Pnl.Micros < 0 ? "#c33" : "#393").Append("\"><title>P&amp;L $").Append(t.Pnl).Append("</title></rect>");
            html.Append("<rect x=\"").Append(F(Math.Min(zero, zero + legged))).Append("\" y=\"").Append(y + Bar - 4).Append("\" width=\"").Append(F(Math.Abs(legged)))
                .Append("\" height=\"3\" fill=\"#a60\"><title>legged cost $").Append(t.LeggedCost).Append("</title></rect>");
            html.Append("<text x=\"").Append(Label + Width + 6).Append("\" y=\"").Append(y + 12).Append("\" font-size=\"11\">$").Append(t.Pnl).Append("</text>");
        }

        html.Append("<line x1=\"").Append(F(zero)).Append("\" y1=\"0\" x2=\"").Append(F(zero)).Append("\" y2=\"").Append(height).Append("\" stroke=\"#888\"/></svg>");
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (string value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    private static void WriteParameters(Utf8JsonWriter json, SweepCombination combination)
    {
        json.WriteStartObject("parameters");
        foreach ((SweepAxis axis, string value) in combination.Settings)
        {
            json.WriteString(axis.Name, value);
        }

        json.WriteEndObject();
    }

    private static Money Sum(IEnumerable<SweepRow> rows, Func<SweepRow, Money> value)
    {
        Money total = Money.Zero;
        foreach (SweepRow row in rows)
        {
            total += value(row);
        }

        return total;
    }

    private static string Quote(string text) =>
        text.IndexOfAny([',', '"', '\n', '\r']) < 0 ? text : "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string F(double value) => value.ToString("0.#", Inv);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
