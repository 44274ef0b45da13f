using Npgsql;
using NpgsqlTypes;
using PosBus.Ledger;

namespace PosBus.Benchmarks;

/// <summary>The raw baseline of the cloud scenarios: rows straight into pos_messages, one multi-row INSERT … ON CONFLICT DO NOTHING.</summary>
public static class RawMessages
{
    /// <summary>Inserts <paramref name="rows"/> as <paramref name="terminal"/> of <paramref name="store"/>; returns the rows inserted.</summary>
    public static async Task<int> InsertAsync(NpgsqlConnection connection, string terminal, string store, IReadOnlyList<LedgerRow> rows)
    {
        await using var command = connection.CreateCommand();
        var values = new List<string>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            values.Add($"(@id{i}, @t, @s, @topic{i}, @data{i}, @at{i}, @at{i}, @t)");
            command.Parameters.Add(new NpgsqlParameter($"id{i}", r.MessageId));
            command.Parameters.Add(new NpgsqlParameter($"topic{i}", r.Topic));
            command.Parameters.Add(new NpgsqlParameter($"data{i}", NpgsqlDbType.Jsonb) { Value = r.Body });
            command.Parameters.Add(new NpgsqlParameter($"at{i}", r.CreatedAt));
        }

        command.Parameters.Add(new NpgsqlParameter("t", terminal));
        command.Parameters.Add(new NpgsqlParameter("s", store));
        command.CommandText = "insert into pos_messages (message_id, terminal_id, store_id, topic, payload, created_at, peer_acked_at, uploaded_by) values "
            + string.Join(", ", values) + " on conflict (message_id) do nothing";
        return await command.ExecuteNonQueryAsync();
    }
}
