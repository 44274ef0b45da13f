using Microsoft.Data.Sqlite;
using PosBus.Outbox.Sqlite;

namespace PosBus.Outbox.Delivery;

/// <summary>
/// Local-delivery progress in <c>delivery_checkpoint</c>. Progress lives in memory and is written
/// periodically, so delivery never competes per row for SQLite's single write lock.
/// </summary>
static class DeliveryCheckpoints
{
    public static async Task LoadAsync(SqliteConnection connection, IEnumerable<DeliveryStream> streams, CancellationToken cancellationToken)
    {
        foreach (var stream in streams)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT position FROM delivery_checkpoint WHERE stream = $stream";
            command.Parameters.AddWithValue("$stream", stream.Name);
            stream.Position = await command.ExecuteScalarAsync(cancellationToken) is long position ? position : 0;
        }
    }

    public static async Task SaveAsync(SqliteConnection connection, IReadOnlyDictionary<string, long> positions, CancellationToken cancellationToken)
    {
        await using var transaction = await SqliteWriteLock.BeginAsync(connection, cancellationToken);
        foreach (var (stream, position) in positions)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO delivery_checkpoint (stream, position) VALUES ($stream, $position)
                ON CONFLICT (stream) DO UPDATE SET position = excluded.position
                """;
            command.Parameters.AddWithValue("$stream", stream);
            command.Parameters.AddWithValue("$position", position);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
