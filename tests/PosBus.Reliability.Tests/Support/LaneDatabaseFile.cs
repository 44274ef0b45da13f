using Microsoft.Data.Sqlite;

namespace PosBus.Reliability.Tests.Support;

/// <summary>Reads a lane's SQLite file directly (the lane may be running: WAL lets a reader in beside it).</summary>
public static class LaneDatabaseFile
{
    public static async Task<long> ScalarAsync(string databasePath, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False;Default Timeout=10");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static async Task<HashSet<Guid>> SaleIdsAsync(string databasePath)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False;Default Timeout=10");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Id FROM sales";
        var ids = new HashSet<Guid>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(Guid.Parse(reader.GetString(0)));
        }

        return ids;
    }

    /// <summary>Committed sales that do not have exactly one ledger row (0 when the outbox kept its promise).</summary>
    public static Task<long> SalesWithoutExactlyOneLedgerRowAsync(string databasePath) => ScalarAsync(databasePath, """
        SELECT COUNT(*) FROM sales s
        WHERE (SELECT COUNT(*) FROM outbox o WHERE o.topic = 'transaction' AND lower(json_extract(o.body, '$.saleId')) = lower(s.Id)) <> 1
        """);

    public static async Task<string> IntegrityAsync(string databasePath)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False;Default Timeout=10");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
