using Microsoft.Data.Sqlite;
using PosBus.Outbox.Ledger;
using PosBus.Outbox.Sqlite;

namespace PosBus.Operations;

/// <summary>What the backlog looks like now: the oldest message waiting in each unfinished state, and the oldest unsent sale.</summary>
/// <param name="OldestPendingAt">Oldest own message no peer holds yet.</param>
/// <param name="OldestNotCloudAckedAt">Oldest own message the cloud does not hold yet (pending or peer_ack).</param>
/// <param name="OldestPeerAckAt">Oldest own message held by a peer but not by the cloud.</param>
/// <param name="OldestDeadLetterAt">Oldest message the cloud refused.</param>
/// <param name="OldestUnsentSaleAt">Oldest sale (topic <c>transaction</c>) not yet in the cloud.</param>
public sealed record LedgerBacklog(
    DateTimeOffset? OldestPendingAt,
    DateTimeOffset? OldestPeerAckAt,
    DateTimeOffset? OldestNotCloudAckedAt,
    DateTimeOffset? OldestDeadLetterAt,
    DateTimeOffset? OldestUnsentSaleAt)
{
    // Each a lookup on ix_outbox_status_sequence (sequence is commit order), cheap enough for every scrape.
    const string Sql = """
        SELECT
          (SELECT created_at FROM outbox WHERE status = 'pending' ORDER BY sequence LIMIT 1),
          (SELECT created_at FROM outbox WHERE status = 'peer_ack' ORDER BY sequence LIMIT 1),
          (SELECT created_at FROM outbox WHERE status = 'dead_letter' ORDER BY sequence LIMIT 1),
          (SELECT MIN(created_at) FROM (
             SELECT created_at FROM (SELECT created_at FROM outbox WHERE status = 'pending' AND topic = 'transaction' ORDER BY sequence LIMIT 1)
             UNION ALL
             SELECT created_at FROM (SELECT created_at FROM outbox WHERE status = 'peer_ack' AND topic = 'transaction' ORDER BY sequence LIMIT 1)))
        """;

    public static async Task<LedgerBacklog> ReadAsync(LaneDatabase database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = Sql;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var pending = TimeAt(reader, 0);
        var peerAck = TimeAt(reader, 1);
        return new LedgerBacklog(pending, peerAck, Earliest(pending, peerAck), TimeAt(reader, 2), TimeAt(reader, 3));
    }

    public static double? AgeSeconds(DateTimeOffset now, DateTimeOffset? since) =>
        since is { } s ? Math.Round(Math.Max(0, (now - s).TotalSeconds), 3) : null;

    static DateTimeOffset? TimeAt(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : LedgerTime.Parse(reader.GetString(ordinal));

    static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;
}
