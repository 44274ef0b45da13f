using Microsoft.Data.Sqlite;
using PosBus.Outbox.Sqlite;

namespace PosBus.Outbox.Inbox;

/// <summary>Reads which of some messages a consumer already handled (table <c>inbox</c>), in one query per chunk.</summary>
static class InboxLookup
{
    // Well under SQLite's bound-parameter limit, and a batch consumer's usual size fits in one statement.
    const int ChunkSize = 500;

    public static async Task<HashSet<Guid>> ConsumedAsync(
        LaneDatabase database, string consumer, IReadOnlyList<Guid> messageIds, CancellationToken cancellationToken)
    {
        var consumed = new HashSet<Guid>();
        if (messageIds.Count == 0)
        {
            return consumed;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        foreach (var chunk in messageIds.Chunk(ChunkSize))
        {
            await using var command = Query(connection, consumer, chunk);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                consumed.Add(Guid.Parse(reader.GetString(0)));
            }
        }

        return consumed;
    }

    static SqliteCommand Query(SqliteConnection connection, string consumer, Guid[] messageIds)
    {
        var command = connection.CreateCommand();
        var names = new string[messageIds.Length];
        for (var i = 0; i < messageIds.Length; i++)
        {
            names[i] = "$m" + i;
            command.Parameters.AddWithValue(names[i], messageIds[i].ToString("D"));
        }

        command.Parameters.AddWithValue("$consumer", consumer);
        command.CommandText = $"SELECT message_id FROM inbox WHERE consumer = $consumer AND message_id IN ({string.Join(',', names)})";
        return command;
    }
}
