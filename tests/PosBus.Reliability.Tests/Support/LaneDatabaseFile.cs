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
        command.CommandText = TestSupport.SaleLedgerSql.SaleIds;
        var ids = new HashSet<Guid>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(Guid.Parse(reader.GetString(0)));
        }

        return ids;
    }

    /// <summary>Sales whose messages are not exactly one sale and all its stock adjustments (0 when the outbox kept its promise).</summary>
    public static Task<long> SalesNotCommittedWholeAsync(string databasePath) => ScalarAsync(databasePath, TestSupport.SaleLedgerSql.SalesNotCommittedWhole);

    public static async Task<string> IntegrityAsync(string databasePath)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False;Default Timeout=10");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
