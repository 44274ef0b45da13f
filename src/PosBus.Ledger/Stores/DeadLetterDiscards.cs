using PosBus.Ledger.Schema;
using PosBus.Ledger.Sqlite;

namespace PosBus.Ledger.Stores;

/// <summary>
/// <c>dead-letters discard &lt;id&gt; --reason …</c>: the operator's decision that a dead letter will never reach the
/// cloud. The row (own message or a peer's copy) moves, payload and all, to <c>dead_letter_discard</c> with the reason,
/// who and when, in one transaction; nothing else ever removes a dead letter. An own message discarded here counts as
/// settled in the heartbeat, so peers settle their copies and retention may remove them like any settled copy.
/// </summary>
public sealed class DeadLetterDiscards(LaneDatabase database)
{
    const string Columns = "message_id, origin_terminal, origin_sequence, was_copy, message_type, topic, content_type, body, headers, " +
                           "created_at, cloud_attempts, last_error, reason, discarded_by, discarded_at";

    const string DiscardSql = $"""
        INSERT INTO {LedgerSchema.DeadLetterDiscardTable} ({Columns})
        SELECT message_id, origin_terminal, sequence, 0, message_type, topic, content_type, body, headers, created_at, cloud_attempts, last_error, $reason, $by, $at
        FROM outbox WHERE message_id = $id AND status = {LedgerStatusSql.DeadLetter};
        INSERT INTO {LedgerSchema.DeadLetterDiscardTable} ({Columns})
        SELECT message_id, origin_terminal, origin_sequence, 1, message_type, topic, content_type, body, headers, created_at, cloud_attempts, last_error, $reason, $by, $at
        FROM replica WHERE message_id = $id AND cloud_status = {LedgerStatusSql.DeadLetter};
        DELETE FROM outbox WHERE message_id = $id AND status = {LedgerStatusSql.DeadLetter};
        DELETE FROM replica WHERE message_id = $id AND cloud_status = {LedgerStatusSql.DeadLetter};
        """;

    const string ListSql = $"""
        SELECT message_id, origin_terminal, origin_sequence, was_copy, topic, created_at, last_error, reason, discarded_by, discarded_at
        FROM {LedgerSchema.DeadLetterDiscardTable} ORDER BY discarded_at DESC, origin_terminal, origin_sequence LIMIT $limit
        """;

    /// <summary>Discards the dead letter <paramref name="messageId"/>; false when no dead letter has that id (nothing changed).</summary>
    public async Task<bool> DiscardAsync(Guid messageId, string reason, string discardedBy, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var transaction = await SqliteWriteLock.BeginAsync(connection, cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = DiscardSql;
        command.Parameters.AddWithValue("$id", messageId.ToString("D"));
        command.Parameters.AddWithValue("$reason", reason.Trim());
        command.Parameters.AddWithValue("$by", discardedBy);
        command.Parameters.AddWithValue("$at", LedgerTime.ToText(at));
        var changed = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return changed > 0;
    }

    /// <summary>The discarded dead letters, newest decision first.</summary>
    public async Task<IReadOnlyList<DiscardedDeadLetter>> ListAsync(int limit = 1000, CancellationToken cancellationToken = default)
    {
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = ListSql;
        command.Parameters.AddWithValue("$limit", limit);
        var list = new List<DiscardedDeadLetter>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new DiscardedDeadLetter
            {
                MessageId = Guid.Parse(reader.GetString(0)),
                OriginTerminal = reader.GetString(1),
                Sequence = reader.GetInt64(2),
                IsReplica = reader.GetInt64(3) == 1,
                Topic = reader.GetString(4),
                CreatedAt = LedgerTime.Parse(reader.GetString(5)),
                LastError = reader.IsDBNull(6) ? null : reader.GetString(6),
                Reason = reader.GetString(7),
                DiscardedBy = reader.GetString(8),
                DiscardedAt = LedgerTime.Parse(reader.GetString(9)),
            });
        }

        return list;
    }
}
