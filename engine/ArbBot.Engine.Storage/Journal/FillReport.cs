using ArbBot.Abstractions.FixedPoint;
using Microsoft.Data.Sqlite;

namespace ArbBot.Engine.Storage;

/// <summary>
/// What <c>arbbot report fills</c> prints, read from the fill log: attempts by strategy and
/// status, fill rates by venue and order type, realised against predicted edge, and legged
/// episodes with how they ended and what they cost. Money stays exact (integer micros summed in SQL).
/// </summary>
public sealed record FillReport(
    IReadOnlyList<FillReport.AttemptRow> Attempts,
    IReadOnlyList<FillReport.FillRateRow> FillRates,
    IReadOnlyList<FillReport.EdgeRow> Edges,
    IReadOnlyList<FillReport.LeggedRow> Legged,
    int LeggedOpen,
    IReadOnlyList<(string Kind, long Count)> Alerts)
{
    /// <summary>Attempts of one strategy in one final (or working) status.</summary>
    public sealed record AttemptRow(string Strategy, string Kind, string Status, long Count);

    /// <summary>Orders of one venue and type: how many, how many filled in full, and the share of contracts filled.</summary>
    public sealed record FillRateRow(string Venue, string OrderType, long Orders, long Filled, Quantity Size, Quantity FilledSize)
    {
        /// <summary>Contracts filled over contracts asked, in percent (one decimal), or null when none were asked.</summary>
        public decimal? FillRatePercent => Size.Micros == 0 ? null : Math.Round(FilledSize.Micros * 100m / Size.Micros, 1);
    }

    /// <summary>Fully filled two-leg attempts of one strategy: edge predicted at decision time against edge realised.</summary>
    public sealed record EdgeRow(string Strategy, long Attempts, Money Predicted, Money Realised, long AverageBookAgeMs);

    /// <summary>Ended legged episodes with one resolution.</summary>
    public sealed record LeggedRow(string Resolution, long Count, Money TotalLoss, Money WorstLoss, long AverageMs);

    /// <summary>Markets settled on one venue: how many (with a position there), what the winning contracts paid, and the profit or loss booked.</summary>
    public sealed record SettlementRow(string Venue, long Markets, Money Paid, Money Realised);

    /// <summary>Settlements by venue (markets where the engine held nothing are left out).</summary>
    public IReadOnlyList<SettlementRow> Settlements { get; init; } = [];

    /// <summary>Reads the report from a fill log file. Throws <see cref="FillLogException"/> naming the file.</summary>
    public static FillReport Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FillLogException($"{path}: no fill log here yet (it is created by `arbbot run`)");
        }

        try
        {
            using SqliteConnection c = FillLog.OpenConnection(path);
            var attempts = Query(c, "SELECT strategy, kind, status, COUNT(*) FROM attempts GROUP BY strategy, kind, status ORDER BY strategy, kind, status",
                r => new AttemptRow(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3)));
            var rates = Query(c, """
                SELECT venue, tif || CASE WHEN post_only = 1 THEN ' post-only' ELSE '' END || ' ' || role, COUNT(*),
                       SUM(CASE WHEN status = 'filled' THEN 1 ELSE 0 END), SUM(size_micros), SUM(filled_micros)
                FROM orders GROUP BY 1, 2 ORDER BY 1, 2
                """,
                r => new FillRateRow(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3), Quantity.FromMicros(r.GetInt64(4)), Quantity.FromMicros(r.GetInt64(5))));
            var edges = Query(c, """
                SELECT strategy, COUNT(*), SUM(expected_edge_micros), SUM(realised_edge_micros), CAST(AVG(book_age_ms) AS INTEGER)
                FROM attempts WHERE status = 'filled' AND realised_edge_micros IS NOT NULL GROUP BY strategy ORDER BY strategy
                """,
                r => new EdgeRow(r.GetString(0), r.GetInt64(1), Money.FromMicros(r.GetInt64(2)), Money.FromMicros(r.GetInt64(3)), r.GetInt64(4)));
            var legged = Query(c, """
                SELECT resolution, COUNT(*), SUM(loss_micros), MAX(loss_micros), CAST(AVG(ended_ms - started_ms) AS INTEGER)
                FROM legged WHERE ended_ms IS NOT NULL GROUP BY resolution ORDER BY resolution
                """,
                r => new LeggedRow(r.GetString(0), r.GetInt64(1), Money.FromMicros(r.GetInt64(2)), Money.FromMicros(r.GetInt64(3)), r.GetInt64(4)));
            int open = (int)Query(c, "SELECT COUNT(*) FROM legged WHERE ended_ms IS NULL", r => r.GetInt64(0))[0];
            var alerts = Query(c, "SELECT kind, COUNT(*) FROM alerts GROUP BY kind ORDER BY 2 DESC", r => (r.GetString(0), r.GetInt64(1)));
            bool hasSettlements = Query(c, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'settlements'", r => r.GetInt64(0))[0] > 0;
            var settlements = !hasSettlements ? [] : Query(c, """
                SELECT venue, COUNT(*), SUM(payout_micros), SUM(pnl_micros) FROM settlements
                WHERE yes_micros <> 0 OR no_micros <> 0 GROUP BY venue ORDER BY venue
                """,
                r => new SettlementRow(r.GetString(0), r.GetInt64(1), Money.FromMicros(r.GetInt64(2)), Money.FromMicros(r.GetInt64(3))));
            return new FillReport(attempts, rates, edges, legged, open, alerts) { Settlements = settlements };
        }
        catch (SqliteException ex)
        {
            throw new FillLogException($"{path}: cannot read the fill log: {ex.Message}", ex);
        }
    }

    private static List<T> Query<T>(SqliteConnection connection, string sql, Func<SqliteDataReader, T> read)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        using SqliteDataReader reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
