using Microsoft.Data.Sqlite;
using PosBus.Ledger.Sqlite;

namespace PosBus.Ledger.Stores;

/// <summary>
/// The consumer inbox: which of some messages a consumer already handled (table <c>inbox</c>), in one query per chunk.
/// Marks are written with the consumer's own changes by <see cref="CaptureStore"/>.
/// </summary>
public sealed class InboxStore(LaneDatabase database)
{
    // Well under SQLite's bound-parameter limit, and a batch consumer's usual size fits in one statement.
    const int ChunkSize = 500;

    public async Task<HashSet<Guid>> ConsumedAsync(string consumer, IReadOnlyList<Guid> messageIds, CancellationToken cancellationToken = default)
    {
        var consumed = new HashSet<Guid>();
        if (messageIds.Count == 0)
        {
            return consumed;
        }

        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (var chunk in messageIds.Chunk(ChunkSize))
        {
            using var command = Query(connection, consumer, chunk);
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
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
