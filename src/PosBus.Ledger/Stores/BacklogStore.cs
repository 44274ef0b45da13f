using Microsoft.Data.Sqlite;
using PosBus.Ledger.Sqlite;

namespace PosBus.Ledger.Stores;

/// <summary>How old the backlog is: the oldest own message waiting in each unfinished state, for status and alarms.</summary>
public sealed class BacklogStore(LaneDatabase database)
{
    // Each a lookup on ix_outbox_status_sequence (sequence is commit order), cheap enough for every scrape.
    const string OldestSql = $"""
        SELECT
          (SELECT created_at FROM outbox WHERE status = {LedgerStatusSql.Pending} ORDER BY sequence LIMIT 1),
          (SELECT created_at FROM outbox WHERE status = {LedgerStatusSql.PeerAck} ORDER BY sequence LIMIT 1),
          (SELECT created_at FROM outbox WHERE status = {LedgerStatusSql.DeadLetter} ORDER BY sequence LIMIT 1),
          (SELECT MIN(created_at) FROM (
             SELECT created_at FROM (SELECT created_at FROM outbox WHERE status = {LedgerStatusSql.Pending} AND topic = 'transaction' ORDER BY sequence LIMIT 1)
             UNION ALL
             SELECT created_at FROM (SELECT created_at FROM outbox WHERE status = {LedgerStatusSql.PeerAck} AND topic = 'transaction' ORDER BY sequence LIMIT 1)))
        """;

    /// <summary>Creation times of the oldest pending, peer_ack and dead_letter message, and of the oldest sale not in the cloud.</summary>
    public async Task<OldestWaiting> ReadOldestAsync(CancellationToken cancellationToken = default)
    {
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = OldestSql;
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new OldestWaiting(TimeAt(reader, 0), TimeAt(reader, 1), TimeAt(reader, 2), TimeAt(reader, 3));
    }

    static DateTimeOffset? TimeAt(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : LedgerTime.Parse(reader.GetString(ordinal));
}
