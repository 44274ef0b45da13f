using Microsoft.Data.Sqlite;

namespace PosBus.Outbox.Ledger;

/// <summary>
/// The sync ledger's tables. This DDL is the single source of truth: it is idempotent and runs at
/// start-up of every PosBus component, so a POS app's own EF migrations never need to know it.
/// </summary>
public static class LedgerSchema
{
    /// <summary>The lane's own messages; the seed's <c>SELECT status, COUNT(*) FROM outbox GROUP BY status</c> works on it.</summary>
    public const string OutboxTable = "outbox";

    /// <summary>Copies of other lanes' messages, keyed by (origin, origin sequence).</summary>
    public const string ReplicaTable = "replica";

    /// <summary>Per peer: the highest own sequence it acknowledged (acks are cumulative, so k-of-n is derived).</summary>
    public const string PeerAckTable = "peer_ack_mark";

    /// <summary>Consumer inbox: (message id, consumer) pairs already handled, for at-least-once delivery without doubles.</summary>
    public const string InboxTable = "inbox";

    /// <summary>Local-delivery progress per stream (own outbox, replicas).</summary>
    public const string CheckpointTable = "delivery_checkpoint";

    /// <summary>Small shared facts between a running lane and its CLI (last sync, outcome).</summary>
    public const string LaneStateTable = "lane_state";

    // AUTOINCREMENT: a sequence is never reused, even after retention deletes the newest rows,
    // so a peer's "I hold up to N" can never point at a different message.
    const string Ddl = """
        PRAGMA journal_mode=WAL;
        CREATE TABLE IF NOT EXISTS outbox (
            sequence            INTEGER PRIMARY KEY AUTOINCREMENT,
            message_id          TEXT    NOT NULL UNIQUE,
            origin_terminal     TEXT    NOT NULL,
            message_type        TEXT    NOT NULL,
            topic               TEXT    NOT NULL,
            content_type        TEXT    NOT NULL,
            body                TEXT    NOT NULL,
            headers             TEXT    NULL,
            conversation_id     TEXT    NULL,
            correlation_id      TEXT    NULL,
            initiator_id        TEXT    NULL,
            source_address      TEXT    NULL,
            destination_address TEXT    NULL,
            created_at          TEXT    NOT NULL,
            status              TEXT    NOT NULL DEFAULT 'pending'
                                CHECK (status IN ('pending', 'peer_ack', 'cloud_ack', 'dead_letter')),
            peer_acked_by       TEXT    NULL,
            peer_acked_at       TEXT    NULL,
            cloud_acked_at      TEXT    NULL,
            cloud_acked_by      TEXT    NULL,
            cloud_attempts      INTEGER NOT NULL DEFAULT 0,
            next_attempt_at     TEXT    NULL,
            last_error          TEXT    NULL
        );
        CREATE INDEX IF NOT EXISTS ix_outbox_status_sequence ON outbox (status, sequence);
        CREATE TABLE IF NOT EXISTS replica (
            local_sequence      INTEGER PRIMARY KEY AUTOINCREMENT,
            origin_terminal     TEXT    NOT NULL,
            origin_sequence     INTEGER NOT NULL,
            message_id          TEXT    NOT NULL UNIQUE,
            message_type        TEXT    NOT NULL,
            topic               TEXT    NOT NULL,
            content_type        TEXT    NOT NULL,
            body                TEXT    NOT NULL,
            headers             TEXT    NULL,
            conversation_id     TEXT    NULL,
            correlation_id      TEXT    NULL,
            initiator_id        TEXT    NULL,
            source_address      TEXT    NULL,
            destination_address TEXT    NULL,
            created_at          TEXT    NOT NULL,
            peer_acked_at       TEXT    NULL,
            received_at         TEXT    NOT NULL,
            cloud_status        TEXT    NOT NULL DEFAULT 'held' CHECK (cloud_status IN ('held', 'cloud_ack', 'dead_letter')),
            cloud_acked_at      TEXT    NULL,
            cloud_attempts      INTEGER NOT NULL DEFAULT 0,
            next_attempt_at     TEXT    NULL,
            last_error          TEXT    NULL,
            UNIQUE (origin_terminal, origin_sequence)
        );
        CREATE INDEX IF NOT EXISTS ix_replica_cloud ON replica (cloud_status, received_at);
        CREATE TABLE IF NOT EXISTS peer_ack_mark (
            peer_id         TEXT    PRIMARY KEY,
            acked_through   INTEGER NOT NULL,
            acked_at        TEXT    NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS inbox (
            message_id  TEXT NOT NULL,
            consumer    TEXT NOT NULL,
            consumed_at TEXT NOT NULL,
            PRIMARY KEY (message_id, consumer)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS ix_inbox_consumed_at ON inbox (consumed_at);
        CREATE TABLE IF NOT EXISTS delivery_checkpoint (
            stream   TEXT    PRIMARY KEY,
            position INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS lane_state (
            key        TEXT PRIMARY KEY,
            value      TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) WITHOUT ROWID;
        """;

    public static async Task EnsureCreatedAsync(SqliteConnection connection, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Ddl;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
