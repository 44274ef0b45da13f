using PosBus.Ledger.Schema;
using System.Globalization;
using PosBus.Ledger.Sqlite;

namespace PosBus.Ledger.Stores;

/// <summary>
/// Copies of other lanes' messages (<c>replica</c>) as peer sync keeps them: stored idempotently by (origin, sequence)
/// and message id, where each origin resumes, marked settled when their origin reached the cloud, summed up for status.
/// </summary>
public sealed class ReplicaStore(LaneDatabase database)
{
    const string InsertSql =
        $"INSERT OR IGNORE INTO replica (origin_sequence, {LedgerRowReader.PayloadColumns}, received_at) " +
        $"VALUES ($origin_sequence, {LedgerRowReader.PayloadParameters}, $received_at)";

    /// <summary>The highest sequence of <paramref name="origin"/> this lane durably holds (0 when none): where that sender resumes.</summary>
    public async Task<long> HeldThroughAsync(string origin, CancellationToken cancellationToken)
    {
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        // A discarded copy counts as held: otherwise discarding the newest copy would make its origin send it again.
        command.CommandText = $"""
            SELECT MAX(COALESCE((SELECT MAX(origin_sequence) FROM replica WHERE origin_terminal = $origin), 0),
                       COALESCE((SELECT MAX(origin_sequence) FROM {LedgerSchema.DeadLetterDiscardTable} WHERE origin_terminal = $origin AND was_copy = 1), 0))
            """;
        command.Parameters.AddWithValue("$origin", origin);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>
    /// The origin settled its rows <paramref name="from"/>..<paramref name="through"/> with the cloud itself: mark the
    /// copies so the failover upload skips them. Copies in backoff or dead-lettered here are settled too; the origin owns them.
    /// </summary>
    public async Task<int> MarkCloudSettledAsync(string origin, long from, long through, DateTimeOffset at, CancellationToken cancellationToken)
    {
        using var connection = await database.OpenAsync(CommitDurability.Deferred, cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            UPDATE replica SET cloud_status = {LedgerStatusSql.CloudAck}, cloud_acked_at = $at, next_attempt_at = NULL, last_error = NULL
            WHERE origin_terminal = $origin AND origin_sequence BETWEEN $from AND $through AND cloud_status <> {LedgerStatusSql.CloudAck}
            """;
        command.Parameters.AddWithValue("$origin", origin);
        command.Parameters.AddWithValue("$from", from);
        command.Parameters.AddWithValue("$through", through);
        command.Parameters.AddWithValue("$at", LedgerTime.ToText(at));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The origin's <see cref="CloudSettlement"/> applied to the copies it covers, in one transaction: each copy of one of
    /// its <paramref name="deadLetters"/> still held becomes <c>dead_letter</c> here too, with the origin's reason, so it
    /// survives retention and the origin's disk and an operator can still retry it; the other copies with an origin
    /// sequence in <paramref name="from"/>..<paramref name="through"/>, and the <paramref name="released"/> ones (dead
    /// letters the origin since retried and uploaded, or discarded), are settled. Returns the copies changed.
    /// </summary>
    public async Task<int> ApplyOriginSettlementAsync(
        string origin, long from, long through, IReadOnlyList<OriginDeadLetter> deadLetters, IReadOnlyList<long> released, DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        using var connection = await database.OpenAsync(CommitDurability.Deferred, cancellationToken).ConfigureAwait(false);
        using var transaction = await SqliteWriteLock.BeginAsync(connection, cancellationToken).ConfigureAwait(false);
        var changed = 0;
        foreach (var letter in deadLetters)
        {
            using var mark = connection.CreateCommand();
            mark.Transaction = transaction;
            mark.CommandText = $"""
                UPDATE replica SET cloud_status = {LedgerStatusSql.DeadLetter}, next_attempt_at = NULL, last_error = $reason
                WHERE origin_terminal = $origin AND origin_sequence = $sequence AND cloud_status = {LedgerStatusSql.Held}
                """;
            mark.Parameters.AddWithValue("$origin", origin);
            mark.Parameters.AddWithValue("$sequence", letter.Sequence);
            mark.Parameters.AddWithValue("$reason", $"dead letter on {origin}: {letter.Reason}");
            changed += await mark.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        using (var settle = connection.CreateCommand())
        {
            settle.Transaction = transaction;
            settle.CommandText = $"""
                UPDATE replica SET cloud_status = {LedgerStatusSql.CloudAck}, cloud_acked_at = $at, next_attempt_at = NULL, last_error = NULL
                WHERE origin_terminal = $origin AND cloud_status <> {LedgerStatusSql.CloudAck}
                  AND (origin_sequence BETWEEN $from AND $through OR origin_sequence IN (SELECT value FROM json_each($released)))
                  AND origin_sequence NOT IN (SELECT value FROM json_each($dead))
                """;
            settle.Parameters.AddWithValue("$origin", origin);
            settle.Parameters.AddWithValue("$from", from);
            settle.Parameters.AddWithValue("$through", through);
            settle.Parameters.AddWithValue("$released", "[" + string.Join(',', released) + "]");
            settle.Parameters.AddWithValue("$dead", "[" + string.Join(',', deadLetters.Select(d => d.Sequence)) + "]");
            settle.Parameters.AddWithValue("$at", LedgerTime.ToText(at));
            changed += await settle.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return changed;
    }

    /// <summary>Stores one batch in ONE transaction and commits; returns how many rows were new (the rest were already held).</summary>
    public async Task<int> StoreAsync(IReadOnlyList<LedgerRow> rows, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var transaction = await SqliteWriteLock.BeginAsync(connection, cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = InsertSql;
        var received = LedgerTime.ToText(receivedAt);
        var inserted = 0;
        foreach (var row in rows)
        {
            command.Parameters.Clear();
            LedgerRowReader.BindPayload(command, row);
            command.Parameters.AddWithValue("$origin_sequence", row.Sequence);
            command.Parameters.AddWithValue("$received_at", received);
            inserted += await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return inserted;
    }

    /// <summary>Per origin lane: how many copies this lane holds, the highest origin sequence and when the last arrived.</summary>
    public async Task<IReadOnlyList<ReplicaReport>> ReadReportsAsync(CancellationToken cancellationToken = default)
    {
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT origin_terminal, COUNT(*), MAX(origin_sequence), MAX(received_at)
            FROM replica GROUP BY origin_terminal ORDER BY origin_terminal
            """;
        var reports = new List<ReplicaReport>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            reports.Add(new ReplicaReport(
                reader.GetString(0),
                reader.GetInt64(1),
                Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture),
                LedgerTime.ParseOrNull(reader.IsDBNull(3) ? null : reader.GetString(3))));
        }

        return reports;
    }
}
