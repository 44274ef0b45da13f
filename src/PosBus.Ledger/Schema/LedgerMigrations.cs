using System.Globalization;
using Microsoft.Data.Sqlite;
using PosBus.Ledger.Sqlite;
using PosBus.Ledger.Stores;

namespace PosBus.Ledger.Schema;

/// <summary>
/// The ledger's versioned migrations, the only code that creates or changes ledger tables. The version lives in
/// <c>lane_state</c> (<see cref="VersionKey"/>), not in <c>PRAGMA user_version</c>: the lane database is the POS app's
/// own file too, and an app (or its ORM) may keep its own schema version there. Steps run in one write transaction, so
/// two processes starting on one file migrate it once and a crash leaves it at the old version, not half way.
/// A step is never edited once released: a change of the schema is a new step appended to <see cref="Steps"/>.
/// </summary>
public static class LedgerMigrations
{
    /// <summary>The <c>lane_state</c> key holding the schema version of the ledger tables.</summary>
    public const string VersionKey = "ledger.schemaVersion";

    /// <summary>
    /// Step 1 is the schema every lane database has had since the first release (created with IF NOT EXISTS and no
    /// version): on such a file it changes nothing and records version 1, so existing lanes upgrade in place.
    /// AUTOINCREMENT: a sequence is never reused, even after retention deletes the newest rows, so a peer's
    /// "I hold up to N" can never point at a different message.
    /// </summary>
    static readonly string[] Steps =
    [
        $"""
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
                status              TEXT    NOT NULL DEFAULT {LedgerStatusSql.Pending}
                                    CHECK (status IN ({LedgerStatusSql.Pending}, {LedgerStatusSql.PeerAck}, {LedgerStatusSql.CloudAck}, {LedgerStatusSql.DeadLetter})),
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
                cloud_status        TEXT    NOT NULL DEFAULT {LedgerStatusSql.Held} CHECK (cloud_status IN ({LedgerStatusSql.Held}, {LedgerStatusSql.CloudAck}, {LedgerStatusSql.DeadLetter})),
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
            """,
        // Step 2: local dead letters, a consumer's message it failed on after its retries (issue 15). One row per
        // (consumer, message); replay_requested_at is set by `dead-letters retry --consumer` and cleared by the outcome.
        """
            CREATE TABLE IF NOT EXISTS consumer_dead_letter (
                consumer            TEXT    NOT NULL,
                message_id          TEXT    NOT NULL,
                message_type        TEXT    NOT NULL,
                exception_type      TEXT    NOT NULL,
                exception_message   TEXT    NOT NULL,
                stack_summary       TEXT    NULL,
                attempts            INTEGER NOT NULL,
                failed_at           TEXT    NOT NULL,
                replay_requested_at TEXT    NULL,
                PRIMARY KEY (consumer, message_id)
            ) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS ix_consumer_dead_letter_message ON consumer_dead_letter (message_id);
            """,
        // Step 3: dead letters an operator discarded (dead-letters discard), with the reason: the record of a message that
        // will never reach the cloud, kept whole (payload included) because retention must never remove one silently.
        $"""
            CREATE TABLE IF NOT EXISTS {LedgerSchema.DeadLetterDiscardTable} (
                message_id      TEXT    PRIMARY KEY,
                origin_terminal TEXT    NOT NULL,
                origin_sequence INTEGER NOT NULL,
                was_copy        INTEGER NOT NULL,
                message_type    TEXT    NOT NULL,
                topic           TEXT    NOT NULL,
                content_type    TEXT    NOT NULL,
                body            TEXT    NOT NULL,
                headers         TEXT    NULL,
                created_at      TEXT    NOT NULL,
                cloud_attempts  INTEGER NOT NULL,
                last_error      TEXT    NULL,
                reason          TEXT    NOT NULL,
                discarded_by    TEXT    NOT NULL,
                discarded_at    TEXT    NOT NULL
            );
            CREATE INDEX IF NOT EXISTS ix_dead_letter_discard_origin ON {LedgerSchema.DeadLetterDiscardTable} (origin_terminal, origin_sequence);
            """,
    ];

    /// <summary>The version this build creates and understands.</summary>
    public static int LatestVersion => Steps.Length;

    /// <summary>Brings the ledger tables on <paramref name="connection"/>'s database to <see cref="LatestVersion"/>.</summary>
    public static async Task MigrateAsync(SqliteConnection connection, CancellationToken cancellationToken = default)
    {
        // journal_mode cannot change inside a transaction; it is a property of the file and sticks once set.
        await ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL", cancellationToken).ConfigureAwait(false);
        // Most starts find the file current: a read, no write lock, so a lane starting beside selling tills waits for no one.
        if (await ReadVersionAsync(connection, null, cancellationToken).ConfigureAwait(false) == LatestVersion)
        {
            return;
        }

        using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var version = await ReadVersionAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        if (version > LatestVersion)
        {
            throw new LaneDatabaseException(connection.DataSource, new InvalidDataException(
                $"its ledger schema is version {version}, newer than this PosBus knows ({LatestVersion}). Run a PosBus at least as new as the one that wrote it."));
        }

        for (var step = version; step < LatestVersion; step++)
        {
            await ExecuteAsync(connection, transaction, Steps[step], cancellationToken).ConfigureAwait(false);
        }

        using (var record = LaneStateCommands.Upsert(connection, transaction, DateTimeOffset.UtcNow))
        {
            LaneStateCommands.Bind(record, VersionKey, LatestVersion.ToString(CultureInfo.InvariantCulture));
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The recorded version; 0 for a new file and for one created before versions were recorded.</summary>
    public static async Task<int> ReadVersionAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        using var exists = connection.CreateCommand();
        exists.Transaction = transaction;
        exists.CommandText = $"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '{LedgerSchema.LaneStateTable}'";
        if ((long)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! == 0)
        {
            return 0;
        }

        var text = await LaneStateCommands.ReadAsync(connection, transaction, VersionKey, cancellationToken).ConfigureAwait(false);
        return text is null ? 0 : int.Parse(text, CultureInfo.InvariantCulture);
    }

    static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
