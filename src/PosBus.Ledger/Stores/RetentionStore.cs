using Microsoft.Data.Sqlite;
using PosBus.Ledger.Sqlite;

namespace PosBus.Ledger.Stores;

/// <summary>
/// Retention's deletes, in short batches. Deletes only: own <c>cloud_ack</c> rows acked before a cutoff; copies of
/// other lanes' messages the cloud is known to hold (<c>cloud_ack</c>) for as long; inbox entries consumed before a
/// cutoff whose message is behind the saved delivery position. Never anything else: <c>pending</c>, <c>peer_ack</c>, <c>dead_letter</c> and held copies stay, whatever their
/// age. It also never deletes a row the local consumers have not completed yet, nor one with a local dead letter, nor the newest row of a stream (own:
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
            AND message_id NOT IN (SELECT message_id FROM consumer_dead_letter)
          ORDER BY sequence LIMIT $batch)
        """;

    const string ReplicaSql = $"""
        DELETE FROM replica WHERE local_sequence IN (
          SELECT local_sequence FROM replica r
          WHERE cloud_status = {LedgerStatusSql.CloudAck} AND cloud_acked_at < $cutoff
            AND local_sequence <= $delivered
            AND origin_sequence < (SELECT MAX(origin_sequence) FROM replica m WHERE m.origin_terminal = r.origin_terminal)
            AND message_id NOT IN (SELECT message_id FROM consumer_dead_letter)
          ORDER BY local_sequence LIMIT $batch)
        """;

    // An inbox row is what absorbs a redelivery: it stays, however old, while its message is still at or after the saved
    // delivery position of the stream that holds it (a crash or a takeover redelivers from there).
    const string InboxSql = """
        DELETE FROM inbox WHERE (message_id, consumer) IN (
          SELECT i.message_id, i.consumer FROM inbox i
          WHERE i.consumed_at < $cutoff
            AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.message_id = i.message_id AND o.sequence >= $outbox_position)
            AND NOT EXISTS (SELECT 1 FROM replica r WHERE r.message_id = i.message_id AND r.local_sequence >= $replica_position)
          LIMIT $batch)
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
        using var connection = await database.OpenAsync(CommitDurability.Deferred, cancellationToken).ConfigureAwait(false);
        var ackedBefore = LedgerTime.ToText(cloudAckedBefore);
        var outboxPosition = await ScalarAsync(connection, OutboxCheckpointSql, cancellationToken).ConfigureAwait(false);
        var replicaPosition = await ScalarAsync(connection, ReplicaCheckpointSql, cancellationToken).ConfigureAwait(false);
        var outboxDelivered = waitForLocalDelivery ? outboxPosition : long.MaxValue;
        var replicaDelivered = waitForLocalDelivery && replicasDeliveredLocally ? replicaPosition : long.MaxValue;
        // Deleted before the inbox pass, so that an inbox row whose message just went is kept until the next run: harmless.
        return new RetentionCounts(
            await DeleteAsync(connection, OutboxSql, ackedBefore, batchSize, new() { ["$delivered"] = outboxDelivered }, cancellationToken).ConfigureAwait(false),
            await DeleteAsync(connection, ReplicaSql, ackedBefore, batchSize, new() { ["$delivered"] = replicaDelivered }, cancellationToken).ConfigureAwait(false),
            await DeleteAsync(connection, InboxSql, LedgerTime.ToText(consumedBefore), batchSize,
                new() { ["$outbox_position"] = outboxPosition, ["$replica_position"] = replicaPosition }, cancellationToken).ConfigureAwait(false));
    }

    // One statement per batch: each is its own short transaction, begun only while no POS writer waits for the lock.
    static async Task<long> DeleteAsync(
        SqliteConnection connection, string sql, string cutoff, int batch, Dictionary<string, long> positions, CancellationToken cancellationToken)
    {
        long total = 0;
        while (true)
        {
            await LaneBusyHandler.GiveWayAsync(connection.DataSource, cancellationToken).ConfigureAwait(false);
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$cutoff", cutoff);
            command.Parameters.AddWithValue("$batch", batch);
            foreach (var (name, position) in positions)
            {
                command.Parameters.AddWithValue(name, position);
            }

            var deleted = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            total += deleted;
            if (deleted < batch)
            {
                return total;
            }
        }
    }

    static async Task<long> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }
}
