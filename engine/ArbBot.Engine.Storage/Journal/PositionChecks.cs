using ArbBot.Abstractions.FixedPoint;
using ArbBot.Abstractions.Markets;
using ArbBot.Engine.Execution.Journal;
using Microsoft.Data.Sqlite;

namespace ArbBot.Engine.Storage;

/// <summary>
/// The state database's record of positions the venues report differently from the fill log
/// (<c>position_checks</c>, written by the running engine) and of the venue figures an operator
/// accepted (<c>position_accepts</c>, written by <c>arbbot positions accept</c>, applied by the
/// engine at its next reconciliation). Read and written outside the kernel, each call on its own connection.
/// </summary>
public static class PositionChecks
{
    /// <summary>Every position in disagreement now, oldest first.</summary>
    public static IReadOnlyList<PositionMismatch> Mismatches(string path)
    {
        var list = new List<PositionMismatch>();
        Query(path, "SELECT venue, market, outcome, engine_micros, venue_micros, since_ms, checked_ms FROM position_checks ORDER BY since_ms, venue, market, outcome", [], r =>
            list.Add(new PositionMismatch(r.GetString(0), r.GetString(1), OutcomeOf(r.GetString(2)), Quantity.FromMicros(r.GetInt64(3)), Quantity.FromMicros(r.GetInt64(4)), r.GetInt64(5), r.GetInt64(6))));
        return list;
    }

    /// <summary>Accepts the venue's figure for the positions in disagreement on one venue (one market, or all); returns what was accepted.</summary>
    public static IReadOnlyList<PositionMismatch> Accept(string path, string venue, string? marketId, long nowMs)
    {
        IReadOnlyList<PositionMismatch> accepted = Mismatches(path).Where(m => m.Venue == venue && (marketId is null || m.MarketId == marketId)).ToList();
        using SqliteConnection connection = FillLog.OpenConnection(path);
        using SqliteTransaction transaction = connection.BeginTransaction();
        foreach (PositionMismatch m in accepted)
        {
            using SqliteCommand insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO position_accepts(venue, market, outcome, venue_micros, accepted_ms) VALUES ($v, $m, $o, $q, $t)";
            insert.Parameters.AddWithValue("$v", m.Venue);
            insert.Parameters.AddWithValue("$m", m.MarketId);
            insert.Parameters.AddWithValue("$o", m.Outcome.ToWireName());
            insert.Parameters.AddWithValue("$q", m.AtVenue.Micros);
            insert.Parameters.AddWithValue("$t", nowMs);
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
        return accepted;
    }

    /// <summary>Accepted figures the engine has not applied yet, for one venue, oldest first.</summary>
    public static IReadOnlyList<PositionAccept> Pending(string path, string venue)
    {
        var list = new List<PositionAccept>();
        Query(path, "SELECT id, market, outcome, venue_micros FROM position_accepts WHERE venue = $1 AND applied_ms IS NULL ORDER BY id", [venue], r =>
            list.Add(new PositionAccept(r.GetInt64(0), venue, r.GetString(1), OutcomeOf(r.GetString(2)), Quantity.FromMicros(r.GetInt64(3)))));
        return list;
    }

    private static Outcome OutcomeOf(string wire) => wire == "yes" ? Outcome.Yes : Outcome.No;

    private static void Query(string path, string sql, object[] values, Action<SqliteDataReader> row)
    {
        using SqliteConnection connection = FillLog.OpenConnection(path);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        for (int i = 0; i < values.Length; i++)
        {
            command.Parameters.AddWithValue("$" + (i + 1), values[i]);
        }

        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            row(reader);
        }
    }
}

/// <summary>A position the venue reports differently from the fill log.</summary>
/// <param name="Venue">Venue name.</param>
/// <param name="MarketId">The venue's market id.</param>
/// <param name="Outcome">The outcome.</param>
/// <param name="Engine">Contracts the fill log says are held.</param>
/// <param name="AtVenue">Contracts the venue says are held.</param>
/// <param name="SinceMs">When the difference was first seen (Unix ms).</param>
/// <param name="CheckedMs">When it was last seen.</param>
public sealed record PositionMismatch(string Venue, string MarketId, Outcome Outcome, Quantity Engine, Quantity AtVenue, long SinceMs, long CheckedMs);

