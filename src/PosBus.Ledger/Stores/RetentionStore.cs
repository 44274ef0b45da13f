using Microsoft.Data.Sqlite;
using PosBus.Ledger.Sqlite;

namespace PosBus.Ledger.Stores;

/// <summary>
/// Retention's deletes, in short batches. Deletes only: own <c>cloud_ack</c> rows acked before a cutoff; copies of
/// other lanes' messages the cloud is known to hold (<c>cloud_ack</c>) for as long; inbox entries consumed before a
/// cutoff. Never anything else: <c>pending</c>, <c>peer_ack</c>, <c>dead_letter</c> and held copies stay, whatever their
/// age. It also never deletes a row the local consumers have not been handed yet, nor the newest row of a stream (own:
/// <c>lastSequence</c>; per origin: the sequence a peer resumes from, which must not fall back and make it resend what
/// was pruned).
/// </summary>
public sealed class RetentionStore(LaneDatabase database)
{
    const string OutboxSql = $"""
        DELETE FROM outbox WHERE sequence IN (
          SELECT sequence FROM outbox
          WHERE status = {LedgerStatusSql.CloudAck} AND cloud_acked_at < $cutoff
            AND sequence <= $delivered
            AND sequence < (SELECT MAX(sequence) FROM outbox)
          ORDER BY sequence LIMIT $batch)
        """;

    const string ReplicaSql = $"""
        DELETE FROM replica WHERE local_sequence IN (
          SELECT local_sequence FROM replica r
          WHERE cloud_status = {LedgerStatusSql.CloudAck} AND cloud_acked_at < $cutoff
            AND local_sequence <= $delivered
            AND origin_sequence < (SELECT MAX(origin_sequence) FROM replica m WHERE m.origin_terminal = r.origin_terminal)
          ORDER BY local_sequence LIMIT $batch)
        """;

    const string InboxSql = """
        DELETE FROM inbox WHERE (message_id, consumer) IN (
          SELECT message_id, consumer FROM inbox WHERE consumed_at < $cutoff LIMIT $batch)
        """;

    const string OutboxCheckpointSql = $"SELECT COALESCE(MAX(position), 0) FROM delivery_checkpoint WHERE stream = '{DeliveryStore.OutboxStream}'";
    const string ReplicaCheckpointSql = $"SELECT COALESCE(MAX(position), 0) FROM delivery_checkpoint WHERE stream = '{DeliveryStore.ReplicaStream}'";

    /// <summary>
    /// One retention run as a background writer. <paramref name="waitForLocalDelivery"/>: whether a process with consumers
    /// delivers on this database (<see cref="DeliveryLeaseStore.HasEverBeenHeldAsync"/>); then a row is kept until it was
    /// handed over, else no checkpoint would ever move and none waits. <paramref name="replicasDeliveredLocally"/>: whether
    /// local delivery hands copies to consumers as well.
    /// </summary>
    public async Task<RetentionCounts> PruneAsync(
        DateTimeOffset cloudAckedBefore, DateTimeOffset consumedBefore, int batchSize, bool waitForLocalDelivery, bool replicasDeliveredLocally,
        CancellationToken cancellationToken = default)
    {
        using var background = LaneWriterRole.AsBackground();
        await using var connection = await database.OpenAsync(CommitDurability.Deferred, cancellationToken);
        var ackedBefore = LedgerTime.ToText(cloudAckedBefore);
        var outboxDelivered = waitForLocalDelivery ? await ScalarAsync(connection, OutboxCheckpointSql, cancellationToken) : long.MaxValue;
        var replicaDelivered = waitForLocalDelivery && replicasDeliveredLocally ? await ScalarAsync(connection, ReplicaCheckpointSql, cancellationToken) : long.MaxValue;
        return new RetentionCounts(
            await DeleteAsync(connection, OutboxSql, ackedBefore, batchSize, outboxDelivered, cancellationToken),
            await DeleteAsync(connection, ReplicaSql, ackedBefore, batchSize, replicaDelivered, cancellationToken),
            await DeleteAsync(connection, InboxSql, LedgerTime.ToText(consumedBefore), batchSize, null, cancellationToken));
    }

    // One statement per batch: each is its own short transaction, begun only while no POS writer waits for the lock.
    static async Task<long> DeleteAsync(SqliteConnection connection, string sql, string cutoff, int batch, long? delivered, CancellationToken cancellationToken)
    {
        long total = 0;
        while (true)
        {
            await LaneBusyHandler.GiveWayAsync(connection.DataSource, cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$cutoff", cutoff);
            command.Parameters.AddWithValue("$batch", batch);
            if (delivered is { } d)
            {
                command.Parameters.AddWithValue("$delivered", d);
            }

            var deleted = await command.ExecuteNonQueryAsync(cancellationToken);
            total += deleted;
            if (deleted < batch)
            {
                return total;
            }
        }
    }

    static async Task<long> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }
}
