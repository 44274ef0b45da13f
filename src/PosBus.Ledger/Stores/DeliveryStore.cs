using Microsoft.Data.Sqlite;
using PosBus.Ledger.Sqlite;

namespace PosBus.Ledger.Stores;

/// <summary>
/// Local delivery's reads and progress, on the delivery loop's own long-lived connection: rows of a stream (own
/// <c>outbox</c>, peer copies in <c>replica</c>) in sequence order after a position, and the positions in
/// <c>delivery_checkpoint</c>. A position says "every row up to here was completed by the local consumers" (handled or
/// dead-lettered); it lives in memory and is written periodically, so delivery never competes per row for SQLite's
/// single write lock.
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
        using var command = connection.CreateCommand();
        command.CommandText = stream switch
        {
            OutboxStream => ReadOutboxSql,
            ReplicaStream => ReadReplicaSql,
            _ => throw new ArgumentOutOfRangeException(nameof(stream), stream, "not a delivery stream"),
        };
        command.Parameters.AddWithValue("$after", after);
        command.Parameters.AddWithValue("$max", max);
        return await LedgerRowReader.ReadAllAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Where delivery of <paramref name="stream"/> stands: 0 when it never checkpointed.</summary>
    public static async Task<long> LoadPositionAsync(SqliteConnection connection, string stream, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT position FROM delivery_checkpoint WHERE stream = $stream";
        command.Parameters.AddWithValue("$stream", stream);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long position ? position : 0;
    }

    // Written only by the holder of the delivery lease (DeliveryLeaseStore), checked inside the same write transaction:
    // a process that lost the lease while it was busy never overwrites the positions of the one that took over.
    const string SaveSql = $"""
        INSERT INTO delivery_checkpoint (stream, position)
        SELECT $stream, $position WHERE EXISTS (
            SELECT 1 FROM lane_state WHERE key = '{DeliveryLeaseStore.StateKey}'
              AND json_extract(value, '$.owner') = $owner AND json_extract(value, '$.expiresAt') > $now)
        ON CONFLICT (stream) DO UPDATE SET position = excluded.position
        """;

    const string ReadOutboxRowSql = $"SELECT sequence, {LedgerRowReader.PayloadColumns} FROM outbox WHERE message_id = $id";
    const string ReadReplicaRowSql = $"SELECT local_sequence, {LedgerRowReader.PayloadColumns} FROM replica WHERE message_id = $id";

    /// <summary>
    /// Saves the positions if <paramref name="leaseOwner"/> still holds the delivery lease at <paramref name="now"/>;
    /// false (nothing written) when it does not.
    /// </summary>
    public static async Task<bool> SavePositionsAsync(
        SqliteConnection connection, IReadOnlyDictionary<string, long> positions, string leaseOwner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var transaction = await SqliteWriteLock.BeginAsync(connection, cancellationToken).ConfigureAwait(false);
        var written = 0;
        foreach (var (stream, position) in positions)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = SaveSql;
            command.Parameters.AddWithValue("$stream", stream);
            command.Parameters.AddWithValue("$position", position);
            command.Parameters.AddWithValue("$owner", leaseOwner);
            command.Parameters.AddWithValue("$now", LedgerTime.ToText(now));
            written += await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return written == positions.Count;
    }

    /// <summary>The row of a message, from the own outbox or a peer copy; null when this lane holds none (retention removed it).</summary>
    public static async Task<LedgerRow?> ReadMessageAsync(SqliteConnection connection, Guid messageId, CancellationToken cancellationToken)
    {
        foreach (var sql in new[] { ReadOutboxRowSql, ReadReplicaRowSql })
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$id", messageId.ToString("D"));
            if ((await LedgerRowReader.ReadAllAsync(command, cancellationToken).ConfigureAwait(false)) is [var row, ..])
            {
                return row;
            }
        }

        return null;
    }
}
