using PosBus.Ledger.Sqlite;

namespace PosBus.Ledger.Stores;

/// <summary>
/// The <c>dead-letters list | retry &lt;id&gt; | retry --all</c> verbs. A retried message goes back to <c>peer_ack</c>
/// when a peer had acked it, else <c>pending</c> (a failover copy back to <c>held</c>), with attempts and error cleared,
/// so the next pass uploads it again.
/// </summary>
public sealed class DeadLetters(LaneDatabase database)
{
    const string ListSql = $"""
        SELECT message_id, sequence, topic, created_at, last_error, cloud_attempts, origin_terminal, 0 FROM outbox WHERE status = {LedgerStatusSql.DeadLetter}
        UNION ALL
        SELECT message_id, origin_sequence, topic, created_at, last_error, cloud_attempts, origin_terminal, 1 FROM replica WHERE cloud_status = {LedgerStatusSql.DeadLetter}
        ORDER BY 4, 2 LIMIT $limit
        """;

    const string RetrySql = $"""
        UPDATE outbox SET status = CASE WHEN peer_acked_at IS NULL THEN {LedgerStatusSql.Pending} ELSE {LedgerStatusSql.PeerAck} END,
            cloud_attempts = 0, next_attempt_at = NULL, last_error = NULL
        WHERE status = {LedgerStatusSql.DeadLetter} AND ($id IS NULL OR message_id = $id);
        UPDATE replica SET cloud_status = {LedgerStatusSql.Held}, cloud_attempts = 0, next_attempt_at = NULL, last_error = NULL
        WHERE cloud_status = {LedgerStatusSql.DeadLetter} AND ($id IS NULL OR message_id = $id);
        """;

    public async Task<IReadOnlyList<DeadLetter>> ListAsync(int limit = 1000, CancellationToken cancellationToken = default)
    {
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = ListSql;
        command.Parameters.AddWithValue("$limit", limit);
        var list = new List<DeadLetter>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new DeadLetter
            {
                MessageId = Guid.Parse(reader.GetString(0)),
                Sequence = reader.GetInt64(1),
                Topic = reader.GetString(2),
                CreatedAt = LedgerTime.Parse(reader.GetString(3)),
                LastError = reader.IsDBNull(4) ? null : reader.GetString(4),
                Attempts = reader.GetInt32(5),
                OriginTerminal = reader.GetString(6),
                IsReplica = reader.GetInt32(7) == 1,
            });
        }

        return list;
    }

    /// <summary>Puts one dead letter back in line; false when no dead letter has that id.</summary>
    public async Task<bool> RetryAsync(Guid messageId, CancellationToken cancellationToken = default) =>
        await RetryWhereAsync(messageId.ToString("D"), cancellationToken).ConfigureAwait(false) > 0;

    /// <summary>Puts every dead letter back in line; returns how many.</summary>
    public Task<int> RetryAllAsync(CancellationToken cancellationToken = default) => RetryWhereAsync(null, cancellationToken);

    async Task<int> RetryWhereAsync(string? messageId, CancellationToken cancellationToken)
    {
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = RetrySql;
        command.Parameters.AddWithValue("$id", (object?)messageId ?? DBNull.Value);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
