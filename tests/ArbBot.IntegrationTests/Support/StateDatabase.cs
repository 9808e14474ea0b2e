using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace ArbBot.IntegrationTests.Support;

/// <summary>Reads an engine's state database from outside (read-only, as another process would), for tests that wait on what it records.</summary>
internal static partial class StateDatabase
{
    /// <summary>The state database a config names (<c>state_db:</c>, relative to the config's folder).</summary>
    public static string Of(string configPath) =>
        Path.GetFullPath(StateDbLine().Match(File.ReadAllText(configPath)).Groups[1].Value, Path.GetDirectoryName(configPath)!);

    /// <summary>One number; -1 while the file or the table does not exist yet, or the value is NULL.</summary>
    public static long Scalar(string db, string sql)
    {
        if (!File.Exists(db))
        {
            return -1;
        }

        using var connection = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=false");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        try
        {
            return command.ExecuteScalar() is { } value and not DBNull ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : -1;
        }
        catch (SqliteException)
        {
            return -1; // the engine has not created the table yet
        }
    }

    /// <summary>The first column of every row, as text.</summary>
    public static List<string> Column(string db, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=false");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        using SqliteDataReader reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    [GeneratedRegex(@"state_db: (\S+)")]
    private static partial Regex StateDbLine();
}
