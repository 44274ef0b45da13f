using Microsoft.Data.Sqlite;

namespace PosBus.Ledger.Stores;

/// <summary>
/// Capture: writes a save's new messages (<c>outbox</c>, state <c>pending</c>) and its consumer inbox marks with a
/// prepared INSERT on the caller's own connection and transaction, so they commit or roll back with the app's data.
/// Commands are created per save: a command cached across EF Core's connection open/close stalled a pooled DbContext.
/// </summary>
public static class CaptureStore
{
    const string InsertOutbox =
        $"INSERT INTO outbox ({LedgerRowReader.PayloadColumns}) VALUES ({LedgerRowReader.PayloadParameters})";

    const string InsertInbox = "INSERT INTO inbox (message_id, consumer, consumed_at) VALUES ($message_id, $consumer, $consumed_at)";

    /// <summary>
    /// Writes synchronously, for EF Core's synchronous and asynchronous save alike: Microsoft.Data.Sqlite runs every
    /// statement synchronously anyway (its async methods only wrap the result in a task), and a synchronous write never
    /// has to come back to the caller's SynchronizationContext, which a WPF or WinForms till's UI thread may be blocking.
    /// </summary>
    public static void Write(SqliteTransaction transaction, IReadOnlyList<LedgerRow> rows, IReadOnlyList<InboxMark> inbox)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(inbox);
        var connection = transaction.Connection!;
        if (rows.Count > 0)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = InsertOutbox;
            foreach (var row in rows)
            {
                command.Parameters.Clear();
                LedgerRowReader.BindPayload(command, row);
                command.ExecuteNonQuery();
            }
        }

        if (inbox.Count > 0)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = InsertInbox;
            foreach (var mark in inbox)
            {
                command.Parameters.Clear();
                command.Parameters.AddWithValue("$message_id", mark.MessageId.ToString("D"));
                command.Parameters.AddWithValue("$consumer", mark.Consumer);
                command.Parameters.AddWithValue("$consumed_at", LedgerTime.ToText(mark.ConsumedAt));
                command.ExecuteNonQuery();
            }
        }
    }
}
