using Npgsql;

namespace PosBus.EndToEnd.Tests;

/// <summary>What the local cloud's Postgres holds, read the way an auditor would.</summary>
public static class CloudQueries
{
    /// <summary>Runs a <c>count(*)</c> query with one parameter, <c>@value</c>.</summary>
    public static async Task<long> CountAsync(string connectionString, string sql, object value)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("value", value);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
