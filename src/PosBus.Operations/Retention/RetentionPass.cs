using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using PosBus.Outbox.Configuration;
using PosBus.Outbox.Ledger;
using PosBus.Outbox.Sqlite;

namespace PosBus.Operations.Retention;

/// <summary>
/// Keeps the lane database bounded. Deletes, in short batches: own <c>cloud_ack</c> rows acked longer ago than
/// <see cref="RetentionOptions.CloudAckedAge"/>; copies of other lanes' messages the cloud is known to hold for as long;
/// inbox entries older than <see cref="RetentionOptions.InboxAge"/>. Never anything else: <c>pending</c>,
/// <c>peer_ack</c>, <c>dead_letter</c> and held copies stay, whatever their age. It also never deletes a row the local
/// consumers have not been handed yet, nor the newest row of a stream (own: <c>lastSequence</c>; per origin: the
/// sequence a peer resumes from, which must not fall back and make it resend what was pruned). Rows wait for local
/// delivery only on a database where a process with consumers has delivered (<see cref="DeliveryLeaseLedger"/>): a lane
/// whose processes consume nothing locally has no checkpoint that would ever move.
/// </summary>
public sealed class RetentionPass(
    LaneDatabase database,
    SyncLedger ledger,
    DeliveryLeaseLedger deliveryLease,
    IOptionsMonitor<RetentionOptions> options,
    IOptions<PosBusOutboxOptions> outbox,
    TimeProvider time)
{
    public const string LastResultKey = "retention.lastResult";
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    const string OutboxSql = """
        DELETE FROM outbox WHERE sequence IN (
          SELECT sequence FROM outbox
          WHERE status = 'cloud_ack' AND cloud_acked_at < $cutoff
            AND sequence <= $delivered
            AND sequence < (SELECT MAX(sequence) FROM outbox)
          ORDER BY sequence LIMIT $batch)
        """;

    const string ReplicaSql = """
        DELETE FROM replica WHERE local_sequence IN (
          SELECT local_sequence FROM replica r
          WHERE cloud_status = 'cloud_ack' AND cloud_acked_at < $cutoff
            AND local_sequence <= $delivered
            AND origin_sequence < (SELECT MAX(origin_sequence) FROM replica m WHERE m.origin_terminal = r.origin_terminal)
          ORDER BY local_sequence LIMIT $batch)
        """;

    const string InboxSql = """
        DELETE FROM inbox WHERE (message_id, consumer) IN (
          SELECT message_id, consumer FROM inbox WHERE consumed_at < $cutoff LIMIT $batch)
        """;

    const string OutboxCheckpointSql = "SELECT COALESCE(MAX(position), 0) FROM delivery_checkpoint WHERE stream = 'outbox'";
    const string ReplicaCheckpointSql = "SELECT COALESCE(MAX(position), 0) FROM delivery_checkpoint WHERE stream = 'replica'";

    public async Task<RetentionResult> RunAsync(CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var now = time.GetUtcNow();
        using var background = LaneWriterRole.AsBackground();
        await using var connection = await database.OpenAsync(CommitDurability.Deferred, cancellationToken);
        var ackedBefore = LedgerTime.ToText(now - settings.CloudAckedAge);
        var delivers = await deliveryLease.HasEverBeenHeldAsync(cancellationToken);
        var outboxDelivered = delivers ? await ScalarAsync(connection, OutboxCheckpointSql, cancellationToken) : long.MaxValue;
        // Copies are handed to local consumers only when Outbox:DeliverReplicas is on; otherwise none waits for them.
        var replicaDelivered = delivers && outbox.Value.DeliverReplicas ? await ScalarAsync(connection, ReplicaCheckpointSql, cancellationToken) : long.MaxValue;
        var result = new RetentionResult
        {
            RanAt = now,
            Outbox = await DeleteAsync(connection, OutboxSql, ackedBefore, settings.BatchSize, outboxDelivered, cancellationToken),
            Replica = await DeleteAsync(connection, ReplicaSql, ackedBefore, settings.BatchSize, replicaDelivered, cancellationToken),
            Inbox = await DeleteAsync(connection, InboxSql, LedgerTime.ToText(now - settings.InboxAge), settings.BatchSize, null, cancellationToken),
        };
        await ledger.WriteStateAsync(LastResultKey, JsonSerializer.Serialize(result, Json), now, cancellationToken);
        return result;
    }

    /// <summary>The last run's result as <see cref="RunAsync"/> stored it, or null before the first run.</summary>
    public static async Task<RetentionResult?> ReadLastAsync(SyncLedger ledger, CancellationToken cancellationToken) =>
        await ledger.ReadStateAsync(LastResultKey, cancellationToken) is { } text ? JsonSerializer.Deserialize<RetentionResult>(text, Json) : null;

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
