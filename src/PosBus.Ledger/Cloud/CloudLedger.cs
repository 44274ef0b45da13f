using Microsoft.Data.Sqlite;
using PosBus.Ledger.Sqlite;
using PosBus.Ledger.Stores;

namespace PosBus.Ledger.Cloud;

/// <summary>
/// The cloud stage's reads and writes on the lane ledger. Each call is one connection and short transactions; the pass
/// never holds one across an HTTP request.
/// </summary>
public sealed class CloudLedger(LaneDatabase database)
{
    readonly LaneStateStore _state = new(database);

    const string NotBackingOff = "(next_attempt_at IS NULL OR next_attempt_at <= $now)";

    // The columns CloudCandidateReader reads, in its order; the replica's key is its local sequence.
    const string OwnColumns = "sequence, message_id, origin_terminal, topic, body, created_at, peer_acked_at, cloud_attempts";
    const string ReplicaColumns = "local_sequence, message_id, origin_terminal, topic, body, created_at, peer_acked_at, cloud_attempts";

    // peer_ack rows and old-enough pending rows, merged in sequence order; each half is a range scan of ix_outbox_status_sequence.
    static string OwnSql(string topic) => $"""
        SELECT * FROM (
            SELECT * FROM (SELECT {OwnColumns} FROM outbox
                WHERE status = {LedgerStatusSql.PeerAck} AND sequence > $after AND {topic} AND {NotBackingOff} ORDER BY sequence LIMIT $max)
            UNION ALL
            SELECT * FROM (SELECT {OwnColumns} FROM outbox
                WHERE status = {LedgerStatusSql.Pending} AND sequence > $after AND created_at <= $pending AND {topic} AND {NotBackingOff} ORDER BY sequence LIMIT $max))
        ORDER BY sequence LIMIT $max
        """;

    static string ReplicaSql(string topic) => $"""
        SELECT {ReplicaColumns} FROM replica
        WHERE cloud_status = {LedgerStatusSql.Held} AND local_sequence > $after AND created_at <= $replica AND {topic} AND {NotBackingOff}
        ORDER BY local_sequence LIMIT $max
        """;

    /// <summary>Up to <paramref name="max"/> eligible rows from where <paramref name="cursor"/> stands, advancing it.</summary>
    public async Task<List<CloudCandidate>> ReadBatchAsync(CloudPassCursor cursor, int max, CloudEligibility eligibility, CancellationToken cancellationToken)
    {
        var batch = new List<CloudCandidate>(max);
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        while (batch.Count < max && !cursor.Finished)
        {
            var (replica, transactions) = CloudPassCursor.Phases[cursor.Phase];
            var topic = transactions ? "topic = 'transaction'" : "topic <> 'transaction'";
            using var command = connection.CreateCommand();
            command.CommandText = replica ? ReplicaSql(topic) : OwnSql(topic);
            command.Parameters.AddWithValue("$after", cursor.After);
            command.Parameters.AddWithValue("$max", max - batch.Count);
            command.Parameters.AddWithValue("$now", LedgerTime.ToText(eligibility.Now));
            command.Parameters.AddWithValue("$pending", LedgerTime.ToText(eligibility.PendingCreatedBy));
            command.Parameters.AddWithValue("$replica", LedgerTime.ToText(eligibility.ReplicaCreatedBy));
            var wanted = max - batch.Count;
            var read = 0;
            using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var candidate = CloudCandidateReader.Read(reader, replica);
                    batch.Add(candidate);
                    cursor.After = candidate.Sequence;
                    read++;
                }
            }

            if (read < wanted)
            {
                cursor.NextPhase();
            }
        }

        return batch;
    }

    /// <summary>
    /// Rows written per verdict transaction. A batch of the adaptive window's largest size is written in several short
    /// transactions, each begun as a background writer, so that a sale waits for one of them at most, never for all.
    /// A process killed between them leaves the rest un-acked: they go again and the cloud answers duplicate.
    /// </summary>
    public const int VerdictsPerTransaction = 250;

    /// <summary>Writes what the cloud said about each row, in short transactions of at most <see cref="VerdictsPerTransaction"/> rows.</summary>
    public async Task RecordAsync(IReadOnlyList<(CloudCandidate Candidate, CloudVerdict Verdict)> verdicts, string uploader, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (verdicts.Count == 0)
        {
            return;
        }

        using var connection = await database.OpenAsync(CommitDurability.Deferred, cancellationToken).ConfigureAwait(false);
        foreach (var chunk in verdicts.Chunk(VerdictsPerTransaction))
        {
            using var transaction = await SqliteWriteLock.BeginAsync(connection, cancellationToken).ConfigureAwait(false);
            var commands = new CloudVerdictCommands(connection, transaction, uploader, at);
            var acked = chunk.Where(v => v.Verdict is CloudVerdict.Acked).Select(v => v.Candidate).ToList();
            await commands.AckAsync(acked.Where(c => !c.IsReplica), replica: false, cancellationToken).ConfigureAwait(false);
            await commands.AckAsync(acked.Where(c => c.IsReplica), replica: true, cancellationToken).ConfigureAwait(false);
            foreach (var (candidate, verdict) in chunk.Where(v => v.Verdict is not CloudVerdict.Acked))
            {
                await commands.FailAsync(candidate, verdict, cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Own rows not yet in the cloud (pending or peer_ack), and how many of them are backing off at <paramref name="now"/>.</summary>
    public async Task<(long Remaining, long BackingOff)> CountWaitingAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT COUNT(*), COALESCE(SUM(next_attempt_at > $now), 0) FROM outbox WHERE status IN ({LedgerStatusSql.NotInCloud})
            """;
        command.Parameters.AddWithValue("$now", LedgerTime.ToText(now));
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>Writes several <c>lane_state</c> facts in one transaction, so a reader never sees half an outcome.</summary>
    public Task WriteStateAsync(IReadOnlyDictionary<string, string> values, DateTimeOffset at, CancellationToken cancellationToken) =>
        _state.WriteAllAsync(values, at, cancellationToken);
}
