using Npgsql;
using PosBus.TestSupport;

namespace PosBus.CloudSync.Tests.Support;

/// <summary>Counts in the real cloud's Postgres, restricted to a test's own message ids (other tests share the cloud).</summary>
public static class CloudAssertions
{
    public static Task<long> CountAsync(this LocalCloud cloud, string table, IEnumerable<Guid> messageIds) =>
        ScalarAsync(cloud, $"select count(*) from {table} where message_id = any(@ids)", messageIds);

    /// <summary>How many rows of <c>pos_messages</c> have each (origin terminal_id, uploaded_by) pair.</summary>
    public static async Task<Dictionary<(string Origin, string UploadedBy), long>> UploadersAsync(this LocalCloud cloud, IEnumerable<Guid> messageIds)
    {
        await using var connection = await cloud.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select terminal_id, uploaded_by, count(*) from pos_messages where message_id = any(@ids) group by 1, 2", connection);
        command.Parameters.AddWithValue("ids", messageIds.ToArray());
        var result = new Dictionary<(string, string), long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            result[(reader.GetString(0), reader.GetString(1))] = reader.GetInt64(2);
        }

        return result;
    }

    static async Task<long> ScalarAsync(LocalCloud cloud, string sql, IEnumerable<Guid> messageIds)
    {
        await using var connection = await cloud.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("ids", messageIds.ToArray());
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
