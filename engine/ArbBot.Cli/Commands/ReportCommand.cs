using System.CommandLine;
using System.Globalization;
using ArbBot.Engine.Configuration;
using ArbBot.Engine.Execution.Journal;
using ArbBot.Engine.Storage;
using Spectre.Console;

namespace ArbBot.Cli.Commands;

/// <summary><c>arbbot report fills</c>: a summary of the fill log (attempts, fill rates, edges, legged episodes, settlements, alerts).</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var command = new Command("report", "Reports from the engine's records");
        var fills = new Command("fills", "Attempts, fill rates by venue and order type, realised vs. predicted edge, legged episodes and their cost, settlements and the profit they booked");
        Option<FileInfo> config = CommonOptions.Config();
        var db = new Option<FileInfo?>("--db") { Description = "Fill log to read (default: execution.state_db of the config)" };
        fills.Options.Add(config);
        fills.Options.Add(db);
        fills.SetAction(parse => Fills(parse.GetValue(config)!, parse.GetValue(db)));
        command.Subcommands.Add(fills);
        return command;
    }

    private static int Fills(FileInfo configFile, FileInfo? db)
    {
        string path;
        if (db is not null)
        {
            path = db.FullName;
        }
        else if (CommonOptions.LoadOrReport(configFile) is { } config)
        {
            path = config.StateDatabasePath;
        }
        else
        {
            return ExitCodes.BadConfig;
        }

        FillReport report;
        try
        {
            report = FillReport.Read(path);
        }
        catch (FillLogException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return ExitCodes.Failed;
        }

        var attempts = new Table().Title($"attempts ({Markup.Escape(path)})").AddColumns("strategy", "kind", "status", "count");
        foreach (FillReport.AttemptRow a in report.Attempts)
        {
            attempts.AddRow(Markup.Escape(a.Strategy), a.Kind, a.Status, N(a.Count));
        }

        var rates = new Table().Title("fill rates").AddColumns("venue", "order type", "orders", "filled in full", "contracts asked", "contracts filled", "fill rate");
        foreach (FillReport.FillRateRow r in report.FillRates)
        {
            rates.AddRow(Markup.Escape(r.Venue), r.OrderType, N(r.Orders), N(r.Filled), r.Size.ToString(), r.FilledSize.ToString(),
                r.FillRatePercent is { } p ? p.ToString("0.0", CultureInfo.InvariantCulture) + "%" : "-");
        }

        var edges = new Table().Title("edge of fully filled two-leg attempts").AddColumns("strategy", "attempts", "predicted", "realised", "realised - predicted", "avg book age");
        foreach (FillReport.EdgeRow e in report.Edges)
        {
            edges.AddRow(Markup.Escape(e.Strategy), N(e.Attempts), "$" + e.Predicted, "$" + e.Realised, "$" + (e.Realised - e.Predicted), $"{e.AverageBookAgeMs} ms");
        }

        var legged = new Table().Title($"legged episodes ({report.LeggedOpen} open)").AddColumns("resolution", "count", "total cost", "average cost", "worst", "average duration");
        foreach (FillReport.LeggedRow l in report.Legged)
        {
            var average = ArbBot.Abstractions.FixedPoint.Money.FromMicros(l.TotalLoss.Micros / Math.Max(1, l.Count));
            legged.AddRow(Markup.Escape(l.Resolution), N(l.Count), "$" + l.TotalLoss, "$" + average, "$" + l.WorstLoss, $"{l.AverageMs} ms");
        }

        var alerts = new Table().Title("alerts").AddColumns("kind", "count");
        foreach ((string kind, long count) in report.Alerts)
        {
            alerts.AddRow(Markup.Escape(kind), N(count));
        }

        var settled = new Table().Title("settlements (markets resolved with a position there)").AddColumns("venue", "markets", "paid out", "realised");
        foreach (FillReport.SettlementRow s in report.Settlements)
        {
            settled.AddRow(Markup.Escape(s.Venue), N(s.Markets), "$" + s.Paid, "$" + s.Realised);
        }

        var total = ArbBot.Abstractions.FixedPoint.Money.FromMicros(report.Settlements.Sum(s => s.Realised.Micros));
        settled.Caption($"realised at settlement in all: ${total}");
        Terminal.Screen.Create().Write(new Rows(attempts, rates, edges, legged, settled, alerts));
        return ExitCodes.Ok;
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
