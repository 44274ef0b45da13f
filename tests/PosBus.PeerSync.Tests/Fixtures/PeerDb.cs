using PosBus.Ledger.Sqlite;

namespace PosBus.PeerSync.Tests.Fixtures;

/// <summary>Reads a lane's tables straight from its SQLite file for assertions.</summary>
public static class PeerDb
{
    public sealed record Copy(long Sequence, string MessageId, string Body, string? Headers, string? CorrelationId, string CreatedAt);

    public static Task<List<Copy>> OwnAsync(LaneDatabase db) =>
        CopiesAsync(db, "SELECT sequence, message_id, body, headers, correlation_id, created_at FROM outbox ORDER BY sequence", null);

    /// <summary>Copies of <paramref name="origin"/>'s rows, in the order this lane stored them (local sequence).</summary>
    public static Task<List<Copy>> ReplicasAsync(LaneDatabase db, string origin) =>
        CopiesAsync(db, "SELECT origin_sequence, message_id, body, headers, correlation_id, created_at FROM replica WHERE origin_terminal = $o ORDER BY local_sequence", origin);

    public static async Task<long> ScalarAsync(LaneDatabase db, string sql)
    {
        await using var connection = await db.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static Task<long> PendingAsync(LaneDatabase db) => ScalarAsync(db, "SELECT COUNT(*) FROM outbox WHERE status = 'pending'");

    public static Task<long> ReplicaCountAsync(LaneDatabase db) => ScalarAsync(db, "SELECT COUNT(*) FROM replica");

    static async Task<List<Copy>> CopiesAsync(LaneDatabase db, string sql, string? origin)
    {
        await using var connection = await db.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (origin is not null)
        {
            command.Parameters.AddWithValue("$o", origin);
        }

        var copies = new List<Copy>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            copies.Add(new Copy(reader.GetInt64(0), reader.GetString(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetString(5)));
        }

        return copies;
    }
}
