using Microsoft.Data.Sqlite;

namespace PosBus.Ledger.Stores;

/// <summary>The statements over <c>lane_state</c>, shared by <see cref="LaneStateStore"/> and the schema migration.</summary>
internal static class LaneStateCommands
{
    const string UpsertSql = """
        INSERT INTO lane_state (key, value, updated_at) VALUES ($key, $value, $at)
        ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
        """;

    /// <summary>A prepared upsert stamped <paramref name="at"/>; set its key and value with <see cref="Bind"/> per fact.</summary>
    public static SqliteCommand Upsert(SqliteConnection connection, SqliteTransaction? transaction, DateTimeOffset at)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = UpsertSql;
        command.Parameters.Add("$key", SqliteType.Text);
        command.Parameters.Add("$value", SqliteType.Text);
        command.Parameters.AddWithValue("$at", LedgerTime.ToText(at));
        return command;
    }

    public static void Bind(SqliteCommand upsert, string key, string value)
    {
        upsert.Parameters["$key"].Value = key;
        upsert.Parameters["$value"].Value = value;
    }

    public static async Task<string?> ReadAsync(SqliteConnection connection, SqliteTransaction? transaction, string key, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT value FROM lane_state WHERE key = $key";
        command.Parameters.AddWithValue("$key", key);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }
}
