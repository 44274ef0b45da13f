using Microsoft.Data.Sqlite;

namespace PosBus.Ledger;

/// <summary>
/// Reads <see cref="LedgerRow"/>s from a query that selects <see cref="Columns"/> first, in that order.
/// Shared by the outbox and replica tables, whose payload columns have the same names.
/// </summary>
public static class LedgerRowReader
{
    /// <summary>Payload columns; a query prefixes them with its sequence column.</summary>
    public const string PayloadColumns =
        "message_id, origin_terminal, message_type, topic, content_type, body, headers, conversation_id, correlation_id, " +
        "initiator_id, source_address, destination_address, created_at";

    /// <summary>Select list for the own outbox table.</summary>
    public const string Columns = "sequence, " + PayloadColumns;

    public static async Task<List<LedgerRow>> ReadAllAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<LedgerRow>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(Read(reader));
        }

        return rows;
    }

    /// <summary>Reads the sequence and payload columns (0..13).</summary>
    public static LedgerRow Read(SqliteDataReader reader) => new()
    {
        Sequence = reader.GetInt64(0),
        MessageId = Guid.Parse(reader.GetString(1)),
        OriginTerminal = reader.GetString(2),
        MessageType = reader.GetString(3),
        Topic = reader.GetString(4),
        ContentType = reader.GetString(5),
        Body = reader.GetString(6),
        Headers = NullableString(reader, 7),
        ConversationId = NullableGuid(reader, 8),
        CorrelationId = NullableGuid(reader, 9),
        InitiatorId = NullableGuid(reader, 10),
        SourceAddress = NullableString(reader, 11),
        DestinationAddress = NullableString(reader, 12),
        CreatedAt = LedgerTime.Parse(reader.GetString(13)),
    };

    static string? NullableString(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    static Guid? NullableGuid(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : Guid.Parse(reader.GetString(ordinal));

    /// <summary>Binds a row's payload columns as <c>$message_id</c> … <c>$created_at</c>.</summary>
    public static void BindPayload(SqliteCommand command, LedgerRow row)
    {
        var p = command.Parameters;
        p.AddWithValue("$message_id", row.MessageId.ToString("D"));
        p.AddWithValue("$origin_terminal", row.OriginTerminal);
        p.AddWithValue("$message_type", row.MessageType);
        p.AddWithValue("$topic", row.Topic);
        p.AddWithValue("$content_type", row.ContentType);
        p.AddWithValue("$body", row.Body);
        p.AddWithValue("$headers", (object?)row.Headers ?? DBNull.Value);
        p.AddWithValue("$conversation_id", (object?)row.ConversationId?.ToString("D") ?? DBNull.Value);
        p.AddWithValue("$correlation_id", (object?)row.CorrelationId?.ToString("D") ?? DBNull.Value);
        p.AddWithValue("$initiator_id", (object?)row.InitiatorId?.ToString("D") ?? DBNull.Value);
        p.AddWithValue("$source_address", (object?)row.SourceAddress ?? DBNull.Value);
        p.AddWithValue("$destination_address", (object?)row.DestinationAddress ?? DBNull.Value);
        p.AddWithValue("$created_at", LedgerTime.ToText(row.CreatedAt));
    }

    /// <summary>The VALUES list matching <see cref="BindPayload"/>.</summary>
    public const string PayloadParameters =
        "$message_id, $origin_terminal, $message_type, $topic, $content_type, $body, $headers, $conversation_id, $correlation_id, " +
        "$initiator_id, $source_address, $destination_address, $created_at";
}
