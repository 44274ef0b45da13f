using Microsoft.Data.Sqlite;
using PosBus.Ledger.Sqlite;

namespace PosBus.Ledger.Stores;

/// <summary>
/// The lane's own outbox as peer sync and status see it: read in commit order, record peer acks, each peer's lag,
/// snapshot the counts. Every call is one short transaction; none is held across network I/O.
/// </summary>
public sealed class SyncLedger(LaneDatabase database)
{
    readonly LaneStateStore _state = new(database);

    /// <summary>Own rows with a sequence above <paramref name="afterSequence"/>, in commit order (what a peer still lacks).</summary>
    public async Task<IReadOnlyList<LedgerRow>> ReadAfterAsync(long afterSequence, int max, CancellationToken cancellationToken = default)
    {
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {LedgerRowReader.Columns} FROM outbox WHERE sequence > $after ORDER BY sequence LIMIT $max";
        command.Parameters.AddWithValue("$after", afterSequence);
        command.Parameters.AddWithValue("$max", max);
        return await LedgerRowReader.ReadAllAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<long> LastSequenceAsync(CancellationToken cancellationToken = default)
    {
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ScalarLongAsync(connection, HighWaterSql, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The highest own sequence ever written, also when the newest rows are gone since (a discarded dead letter): a peer
    /// holding a copy of a deleted row must not make this lane look reset.
    /// </summary>
    const string HighWaterSql = """
        SELECT MAX(COALESCE((SELECT MAX(sequence) FROM outbox), 0), COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'outbox'), 0))
        """;

    /// <summary>
    /// How far own rows are settled with the cloud (<see cref="CloudSettlement"/>), for the heartbeat to peers. At most
    /// <paramref name="maxDeadLetters"/> dead letters are listed; the settled mark stops before the next one, so a frame
    /// never grows with the number of dead letters. <c>dead_letter</c> used to count as settled like <c>cloud_ack</c>:
    /// peers then marked their copies settled, retention deleted them, and the origin's disk was the last place a
    /// refused sale existed.
    /// </summary>
    public async Task<CloudSettlement> ReadCloudSettlementAsync(int maxDeadLetters, CancellationToken cancellationToken = default)
    {
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        // Seeks on ix_outbox_status_sequence; peer sync reads it once per heartbeat interval for all its links.
        var settled = await ScalarLongAsync(connection, $"""
            SELECT COALESCE((SELECT MIN(sequence) FROM outbox WHERE status IN ({LedgerStatusSql.NotInCloud})) - 1, ({HighWaterSql}))
            """, cancellationToken).ConfigureAwait(false);
        var deadLetters = new List<OriginDeadLetter>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = $"""
                SELECT sequence, last_error FROM outbox WHERE status = {LedgerStatusSql.DeadLetter} AND sequence <= $settled
                ORDER BY sequence LIMIT $max
                """;
            command.Parameters.AddWithValue("$settled", settled);
            command.Parameters.AddWithValue("$max", maxDeadLetters + 1);
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                deadLetters.Add(new OriginDeadLetter(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
            }
        }

        if (deadLetters.Count > maxDeadLetters)
        {
            settled = deadLetters[maxDeadLetters].Sequence - 1;
            deadLetters.RemoveAt(maxDeadLetters);
        }

        return new CloudSettlement(deadLetters.Count > 0 ? deadLetters[0].Sequence - 1 : settled, settled, deadLetters);
    }

    /// <summary>
    /// A peer durably holds every own row up to <paramref name="throughSequence"/>: remember its mark and move
    /// those rows from <c>pending</c> to <c>peer_ack</c>, naming the first peer that acked. Returns rows moved.
    /// </summary>
    public async Task<int> MarkPeerAckedAsync(string peerId, long throughSequence, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        using var connection = await database.OpenAsync(CommitDurability.Deferred, cancellationToken).ConfigureAwait(false);
        using var transaction = await SqliteWriteLock.BeginAsync(connection, cancellationToken).ConfigureAwait(false);
        using (var mark = connection.CreateCommand())
        {
            mark.Transaction = transaction;
            mark.CommandText = """
                INSERT INTO peer_ack_mark (peer_id, acked_through, acked_at) VALUES ($peer, $through, $at)
                ON CONFLICT (peer_id) DO UPDATE SET acked_through = MAX(acked_through, excluded.acked_through), acked_at = excluded.acked_at
                """;
            mark.Parameters.AddWithValue("$peer", peerId);
            mark.Parameters.AddWithValue("$through", throughSequence);
            mark.Parameters.AddWithValue("$at", LedgerTime.ToText(at));
            await mark.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        int moved;
        using (var move = connection.CreateCommand())
        {
            move.Transaction = transaction;
            move.CommandText = $"""
                UPDATE outbox SET status = {LedgerStatusSql.PeerAck}, peer_acked_by = $peer, peer_acked_at = $at
                WHERE status = {LedgerStatusSql.Pending} AND sequence <= $through
                """;
            move.Parameters.AddWithValue("$peer", peerId);
            move.Parameters.AddWithValue("$through", throughSequence);
            move.Parameters.AddWithValue("$at", LedgerTime.ToText(at));
            moved = await move.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return moved;
    }

    /// <summary>
    /// An own row that can never travel to peers (larger than their frame limit, written by an older version): it
    /// becomes a <c>dead_letter</c> with <paramref name="reason"/> unless it is settled already, so the stream moves on
    /// past it and an operator sees it. Returns whether the row was dead-lettered.
    /// </summary>
    public async Task<bool> DeadLetterUnsendableAsync(long sequence, string reason, CancellationToken cancellationToken = default)
    {
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            UPDATE outbox SET status = {LedgerStatusSql.DeadLetter}, next_attempt_at = NULL, last_error = $reason
            WHERE sequence = $sequence AND status IN ({LedgerStatusSql.NotInCloud})
            """;
        command.Parameters.AddWithValue("$sequence", sequence);
        command.Parameters.AddWithValue("$reason", reason);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    public async Task<IReadOnlyList<PeerAckMark>> ReadPeerMarksAsync(CancellationToken cancellationToken = default)
    {
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT peer_id, acked_through, acked_at FROM peer_ack_mark ORDER BY peer_id";
        var marks = new List<PeerAckMark>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            marks.Add(new PeerAckMark(reader.GetString(0), reader.GetInt64(1), LedgerTime.Parse(reader.GetString(2))));
        }

        return marks;
    }

    /// <summary>Counts by state plus the ages ops watch. Reads only: safe while the lane runs.</summary>
    public async Task<LedgerCounts> ReadCountsAsync(CancellationToken cancellationToken = default)
    {
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT status, COUNT(*) FROM outbox GROUP BY status";
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                counts[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        return new LedgerCounts
        {
            Pending = counts.GetValueOrDefault(LedgerStatus.Pending),
            PeerAck = counts.GetValueOrDefault(LedgerStatus.PeerAck),
            CloudAck = counts.GetValueOrDefault(LedgerStatus.CloudAck),
            DeadLetter = counts.GetValueOrDefault(LedgerStatus.DeadLetter),
            OldestNotCloudAckedAt = await ScalarTimeAsync(connection,
                $"SELECT MIN(created_at) FROM outbox WHERE status IN ({LedgerStatusSql.NotInCloud})", cancellationToken).ConfigureAwait(false),
            OldestPendingAt = await ScalarTimeAsync(connection,
                $"SELECT MIN(created_at) FROM outbox WHERE status = {LedgerStatusSql.Pending}", cancellationToken).ConfigureAwait(false),
            LastSequence = await ScalarLongAsync(connection, "SELECT COALESCE(MAX(sequence), 0) FROM outbox", cancellationToken).ConfigureAwait(false),
        };
    }

    /// <summary>
    /// How far a peer that acked through <paramref name="ackedThrough"/> lags: own rows after that sequence and the
    /// creation time of the oldest of them (null when it lags by none).
    /// </summary>
    public async Task<(long Messages, DateTimeOffset? OldestAt)> ReadLagAsync(long ackedThrough, CancellationToken cancellationToken = default)
    {
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*), MIN(created_at) FROM outbox WHERE sequence > $through";
        command.Parameters.AddWithValue("$through", ackedThrough);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return (reader.GetInt64(0), reader.IsDBNull(1) ? null : LedgerTime.Parse(reader.GetString(1)));
    }

    /// <summary>Reads a shared fact (e.g. the last cloud sync outcome) written by <see cref="WriteStateAsync"/>.</summary>
    public Task<string?> ReadStateAsync(string key, CancellationToken cancellationToken = default) => _state.ReadAsync(key, cancellationToken);

    public Task WriteStateAsync(string key, string value, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        _state.WriteAsync(key, value, at, cancellationToken);

    static async Task<long> ScalarLongAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    static async Task<DateTimeOffset?> ScalarTimeAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return LedgerTime.ParseOrNull(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string);
    }
}
