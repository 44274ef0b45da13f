using Microsoft.Data.Sqlite;
using PosBus.Ledger.Sqlite;

namespace PosBus.Ledger.Stores;

/// <summary>
/// One message by id, wherever this lane holds it (its own outbox or a peer's replica), with its inbox marks: what a test
/// waits on, and what an operator asks when a sale seems missing. Retention may already have removed a settled message.
/// </summary>
public sealed class MessageLookupStore(LaneDatabase database)
{
    // Own copies first: a lane never holds a replica of its own message, but the order makes the answer deterministic.
    const string MessageSql = """
        SELECT 0, sequence, origin_terminal, message_type, topic, status, created_at, peer_acked_at, peer_acked_by,
               cloud_acked_at, cloud_attempts, last_error, NULL
        FROM outbox WHERE message_id = $id
        UNION ALL
        SELECT 1, local_sequence, origin_terminal, message_type, topic, cloud_status, created_at, peer_acked_at, NULL,
               cloud_acked_at, cloud_attempts, last_error, received_at
        FROM replica WHERE message_id = $id
        LIMIT 1
        """;

    // Bodies are the message JSON as published (camelCase); a scan, fine for an operator's lookup of one receipt.
    const string ByReceiptSql = """
        SELECT message_id FROM outbox WHERE topic = $topic AND json_extract(body, '$.receiptNumber') = $receipt
        UNION
        SELECT message_id FROM replica WHERE topic = $topic AND json_extract(body, '$.receiptNumber') = $receipt
        """;

    const string ConsumersSql = "SELECT consumer, consumed_at FROM inbox WHERE message_id = $id ORDER BY consumed_at, consumer";

    /// <summary>The message, or null when this lane holds no copy (never had it, or retention removed it).</summary>
    public async Task<LedgerMessage?> FindAsync(Guid messageId, CancellationToken cancellationToken = default)
    {
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var consumers = await ReadConsumersAsync(connection, messageId, cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = MessageSql;
        command.Parameters.AddWithValue("$id", messageId.ToString("D"));
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new LedgerMessage(
            messageId,
            IsReplica: reader.GetInt32(0) == 1,
            Sequence: reader.GetInt64(1),
            OriginTerminal: reader.GetString(2),
            MessageType: reader.GetString(3),
            Topic: reader.GetString(4),
            Status: reader.GetString(5),
            CreatedAt: LedgerTime.Parse(reader.GetString(6)),
            PeerAckedAt: LedgerTime.ParseOrNull(reader.IsDBNull(7) ? null : reader.GetString(7)),
            PeerAckedBy: reader.IsDBNull(8) ? null : reader.GetString(8),
            CloudAckedAt: LedgerTime.ParseOrNull(reader.IsDBNull(9) ? null : reader.GetString(9)),
            CloudAttempts: reader.GetInt32(10),
            LastError: reader.IsDBNull(11) ? null : reader.GetString(11),
            Consumers: consumers)
        {
            ReceivedAt = LedgerTime.ParseOrNull(reader.IsDBNull(12) ? null : reader.GetString(12)),
        };
    }

    /// <summary>The ids of the messages of <paramref name="topic"/> (own or held for a peer) whose body has this <c>receiptNumber</c>.</summary>
    public async Task<IReadOnlyList<Guid>> FindByReceiptNumberAsync(string receiptNumber, string topic, CancellationToken cancellationToken = default)
    {
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = ByReceiptSql;
        command.Parameters.AddWithValue("$topic", topic);
        command.Parameters.AddWithValue("$receipt", receiptNumber);
        var ids = new List<Guid>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            ids.Add(Guid.Parse(reader.GetString(0)));
        }

        return ids;
    }

    static async Task<IReadOnlyList<ConsumedMark>> ReadConsumersAsync(SqliteConnection connection, Guid messageId, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = ConsumersSql;
        command.Parameters.AddWithValue("$id", messageId.ToString("D"));
        var marks = new List<ConsumedMark>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            marks.Add(new ConsumedMark(reader.GetString(0), LedgerTime.Parse(reader.GetString(1))));
        }

        return marks;
    }
}
