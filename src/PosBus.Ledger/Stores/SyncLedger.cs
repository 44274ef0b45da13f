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
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {LedgerRowReader.Columns} FROM outbox WHERE sequence > $after ORDER BY sequence LIMIT $max";
        command.Parameters.AddWithValue("$after", afterSequence);
        command.Parameters.AddWithValue("$max", max);
        return await LedgerRowReader.ReadAllAsync(command, cancellationToken);
    }

    public async Task<long> LastSequenceAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ScalarLongAsync(connection, "SELECT COALESCE(MAX(sequence), 0) FROM outbox", cancellationToken);
    }

    /// <summary>
    /// The highest own sequence up to which every row is settled with the cloud (<c>cloud_ack</c>, or <c>dead_letter</c>
    /// for an operator here): peers holding copies of those rows need not upload them on failover.
    /// </summary>
    public async Task<long> CloudSettledThroughAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // Two seeks on ix_outbox_status_sequence; peer sync reads it once per heartbeat interval for all its links.
        return await ScalarLongAsync(connection, $"""
            SELECT COALESCE(
                (SELECT MIN(sequence) FROM outbox WHERE status IN ({LedgerStatusSql.NotInCloud})) - 1,
                (SELECT COALESCE(MAX(sequence), 0) FROM outbox))
            """, cancellationToken);
    }

    /// <summary>
    /// A peer durably holds every own row up to <paramref name="throughSequence"/>: remember its mark and move
    /// those rows from <c>pending</c> to <c>peer_ack</c>, naming the first peer that acked. Returns rows moved.
    /// </summary>
    public async Task<int> MarkPeerAckedAsync(string peerId, long throughSequence, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(CommitDurability.Deferred, cancellationToken);
        await using var transaction = await SqliteWriteLock.BeginAsync(connection, cancellationToken);
        await using (var mark = connection.CreateCommand())
        {
            mark.Transaction = transaction;
            mark.CommandText = """
                INSERT INTO peer_ack_mark (peer_id, acked_through, acked_at) VALUES ($peer, $through, $at)
                ON CONFLICT (peer_id) DO UPDATE SET acked_through = MAX(acked_through, excluded.acked_through), acked_at = excluded.acked_at
                """;
            mark.Parameters.AddWithValue("$peer", peerId);
            mark.Parameters.AddWithValue("$through", throughSequence);
            mark.Parameters.AddWithValue("$at", LedgerTime.ToText(at));
            await mark.ExecuteNonQueryAsync(cancellationToken);
        }

        int moved;
        await using (var move = connection.CreateCommand())
        {
            move.Transaction = transaction;
            move.CommandText = $"""
                UPDATE outbox SET status = {LedgerStatusSql.PeerAck}, peer_acked_by = $peer, peer_acked_at = $at
                WHERE status = {LedgerStatusSql.Pending} AND sequence <= $through
                """;
            move.Parameters.AddWithValue("$peer", peerId);
            move.Parameters.AddWithValue("$through", throughSequence);
            move.Parameters.AddWithValue("$at", LedgerTime.ToText(at));
            moved = await move.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return moved;
    }

    public async Task<IReadOnlyList<PeerAckMark>> ReadPeerMarksAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT peer_id, acked_through, acked_at FROM peer_ack_mark ORDER BY peer_id";
        var marks = new List<PeerAckMark>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            marks.Add(new PeerAckMark(reader.GetString(0), reader.GetInt64(1), LedgerTime.Parse(reader.GetString(2))));
        }

        return marks;
    }

    /// <summary>Counts by state plus the ages ops watch. Reads only: safe while the lane runs.</summary>
    public async Task<LedgerCounts> ReadCountsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT status, COUNT(*) FROM outbox GROUP BY status";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
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
                $"SELECT MIN(created_at) FROM outbox WHERE status IN ({LedgerStatusSql.NotInCloud})", cancellationToken),
            OldestPendingAt = await ScalarTimeAsync(connection,
                $"SELECT MIN(created_at) FROM outbox WHERE status = {LedgerStatusSql.Pending}", cancellationToken),
            LastSequence = await ScalarLongAsync(connection, "SELECT COALESCE(MAX(sequence), 0) FROM outbox", cancellationToken),
        };
    }

    /// <summary>
    /// How far a peer that acked through <paramref name="ackedThrough"/> lags: own rows after that sequence and the
    /// creation time of the oldest of them (null when it lags by none).
    /// </summary>
    public async Task<(long Messages, DateTimeOffset? OldestAt)> ReadLagAsync(long ackedThrough, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*), MIN(created_at) FROM outbox WHERE sequence > $through";
        command.Parameters.AddWithValue("$through", ackedThrough);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.IsDBNull(1) ? null : LedgerTime.Parse(reader.GetString(1)));
    }

    /// <summary>Reads a shared fact (e.g. the last cloud sync outcome) written by <see cref="WriteStateAsync"/>.</summary>
    public Task<string?> ReadStateAsync(string key, CancellationToken cancellationToken = default) => _state.ReadAsync(key, cancellationToken);

    public Task WriteStateAsync(string key, string value, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        _state.WriteAsync(key, value, at, cancellationToken);

    static async Task<long> ScalarLongAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    static async Task<DateTimeOffset?> ScalarTimeAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return LedgerTime.ParseOrNull(await command.ExecuteScalarAsync(cancellationToken) as string);
    }
}
