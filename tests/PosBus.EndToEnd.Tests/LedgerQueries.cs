using Microsoft.Data.Sqlite;

namespace PosBus.EndToEnd.Tests;

/// <summary>Reads a lane's database directly, the way an auditor would, to check what the lane claims.</summary>
public static class LedgerQueries
{
    public static async Task<long> ScalarAsync(string databasePath, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The receipt number of the lane's second sale (the first one is what <see cref="InsertInvalidSaleCopyAsync"/> copies).</summary>
    public static async Task<string> SecondReceiptNumberAsync(string databasePath)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT json_extract(body, '$.receiptNumber') FROM outbox WHERE topic = 'transaction' ORDER BY sequence LIMIT 1 OFFSET 1";
        return (string?)await command.ExecuteScalarAsync() ?? throw new InvalidOperationException("the lane has fewer than two sales");
    }

    /// <summary>
    /// Adds a copy of the lane's first sale message under a new id with its total off by 10,000 minor units: only the
    /// cloud's validation can catch it, so the next upload makes it a dead letter. Returns the new message id.
    /// </summary>
    public static async Task<string> InsertInvalidSaleCopyAsync(string databasePath)
    {
        var badId = Guid.NewGuid().ToString("D");
        await ScalarAsync(databasePath, $"""
            CREATE TEMP TABLE bad AS SELECT * FROM outbox WHERE topic = 'transaction' ORDER BY sequence LIMIT 1;
            UPDATE bad SET sequence = (SELECT MAX(sequence) + 1 FROM outbox),
                body = replace(replace(body, message_id, '{badId}'), '"totalMinor":', '"totalMinor":1'),
                message_id = '{badId}', status = 'pending', peer_acked_by = NULL, peer_acked_at = NULL,
                cloud_acked_at = NULL, cloud_acked_by = NULL, cloud_attempts = 0, next_attempt_at = NULL, last_error = NULL;
            INSERT INTO outbox SELECT * FROM bad;
            SELECT changes();
            """);
        return badId;
    }

    public static async Task<List<(string SaleId, long Count)>> SaleMessageCountsAsync(string databasePath)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT lower(json_extract(body, '$.saleId')), COUNT(*) FROM outbox WHERE topic = 'transaction' GROUP BY 1";
        var rows = new List<(string, long)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetInt64(1)));
        }

        return rows;
    }
}
