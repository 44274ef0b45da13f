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
