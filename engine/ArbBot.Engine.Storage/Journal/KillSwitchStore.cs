using ArbBot.Engine.Execution.Journal;
using ArbBot.Engine.Risk;
using Microsoft.Data.Sqlite;

namespace ArbBot.Engine.Storage;

/// <summary>
/// The kill switch's persisted state: one row in the state database, so it survives a restart
/// until explicitly cleared. Used by the engine and by <c>arbbot kill</c> in another process.
/// </summary>
public static class KillSwitchStore
{
    /// <summary>The engaged state, or null when clear (or when the database does not exist yet).</summary>
    public static KillState? Read(string databasePath)
    {
        if (!File.Exists(databasePath))
        {
            return null;
        }

        using SqliteConnection connection = Open(databasePath);
        using SqliteCommand read = connection.CreateCommand();
        read.CommandText = "SELECT mode, reason, source, set_ms FROM kill_switch WHERE id = 1";
        using SqliteDataReader r = read.ExecuteReader();
        return r.Read() ? new KillState(r.GetString(0) == "flatten", r.GetString(1), r.GetString(2), r.GetInt64(3)) : null;
    }

    /// <summary>Engages (or changes) the kill switch.</summary>
    public static void Write(string databasePath, KillState state)
    {
        using SqliteConnection connection = Open(databasePath);
        using SqliteCommand write = connection.CreateCommand();
        write.CommandText = "INSERT OR REPLACE INTO kill_switch(id, mode, reason, source, set_ms) VALUES (1, $mode, $reason, $source, $ms)";
        write.Parameters.AddWithValue("$mode", state.Mode);
        write.Parameters.AddWithValue("$reason", state.Reason);
        write.Parameters.AddWithValue("$source", state.Source);
        write.Parameters.AddWithValue("$ms", state.SetMs);
        write.ExecuteNonQuery();
    }

    /// <summary>Clears the kill switch; returns whether it was engaged.</summary>
    public static bool Clear(string databasePath)
    {
        if (!File.Exists(databasePath))
        {
            return false;
        }

        using SqliteConnection connection = Open(databasePath);
        using SqliteCommand clear = connection.CreateCommand();
        clear.CommandText = "DELETE FROM kill_switch WHERE id = 1";
        return clear.ExecuteNonQuery() > 0;
    }

    private static SqliteConnection Open(string databasePath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(databasePath))!);
        SqliteConnection connection = FillLog.OpenConnection(databasePath);
        using SqliteCommand create = connection.CreateCommand();
        create.CommandText = FillLogSchema.Create;
        create.ExecuteNonQuery();
        return connection;
    }
}
