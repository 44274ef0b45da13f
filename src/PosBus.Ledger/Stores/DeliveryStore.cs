using Microsoft.Data.Sqlite;
using PosBus.Ledger.Sqlite;

namespace PosBus.Ledger.Stores;

/// <summary>
/// Local delivery's reads and progress, on the delivery loop's own long-lived connection: rows of a stream (own
/// <c>outbox</c>, peer copies in <c>replica</c>) in sequence order after a position, and the positions in
/// <c>delivery_checkpoint</c>. Progress lives in memory and is written periodically, so delivery never competes per
/// row for SQLite's single write lock.
/// </summary>
public static class DeliveryStore
{
    /// <summary>Stream name (key in <c>delivery_checkpoint</c>) of the lane's own messages, keyed by <c>outbox.sequence</c>.</summary>
    public const string OutboxStream = "outbox";

    /// <summary>Stream name of peers' copies, keyed by <c>replica.local_sequence</c>.</summary>
    public const string ReplicaStream = "replica";

    const string ReadOutboxSql =
        $"SELECT sequence, {LedgerRowReader.PayloadColumns} FROM outbox WHERE sequence > $after ORDER BY sequence LIMIT $max";

    const string ReadReplicaSql =
        $"SELECT local_sequence, {LedgerRowReader.PayloadColumns} FROM replica WHERE local_sequence > $after ORDER BY local_sequence LIMIT $max";

    /// <summary>Up to <paramref name="max"/> rows of <paramref name="stream"/> after <paramref name="after"/>, in order.</summary>
    public static async Task<List<LedgerRow>> ReadAfterAsync(SqliteConnection connection, string stream, long after, int max, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = stream switch
        {
            OutboxStream => ReadOutboxSql,
            ReplicaStream => ReadReplicaSql,
            _ => throw new ArgumentOutOfRangeException(nameof(stream), stream, "not a delivery stream"),
        };
        command.Parameters.AddWithValue("$after", after);
        command.Parameters.AddWithValue("$max", max);
        return await LedgerRowReader.ReadAllAsync(command, cancellationToken);
    }

    /// <summary>Where delivery of <paramref name="stream"/> stands: 0 when it never checkpointed.</summary>
    public static async Task<long> LoadPositionAsync(SqliteConnection connection, string stream, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT position FROM delivery_checkpoint WHERE stream = $stream";
        command.Parameters.AddWithValue("$stream", stream);
        return await command.ExecuteScalarAsync(cancellationToken) is long position ? position : 0;
    }

    public static async Task SavePositionsAsync(SqliteConnection connection, IReadOnlyDictionary<string, long> positions, CancellationToken cancellationToken)
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
