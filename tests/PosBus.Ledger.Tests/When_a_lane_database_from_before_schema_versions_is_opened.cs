using Microsoft.Data.Sqlite;
using PosBus.Ledger.Schema;
using PosBus.Ledger.Sqlite;

namespace PosBus.Ledger.Tests;

public sealed class When_a_lane_database_from_before_schema_versions_is_opened : IDisposable
{
    /// <summary>
    /// The ledger DDL exactly as every PosBus before versioned migrations ran it (LedgerSchema.Ddl, unversioned, IF NOT
    /// EXISTS). Frozen here on purpose: it is the shape of the files lanes already have on disk.
    /// </summary>
    const string UnversionedDdl = """
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

    readonly LedgerFile _file = new();

    [Fact]
    public async Task Upgrades_it_in_place_and_keeps_every_row()
    {
        await CreateUnversionedFileAsync();
        await _file.ExecuteAsync("""
            INSERT INTO outbox (message_id, origin_terminal, message_type, topic, content_type, body, created_at, status, peer_acked_by, peer_acked_at)
            VALUES ('00000000-0000-0000-0000-000000000001', 'L1', 'urn:t', 'transaction', 'application/json', '{"a":1}', '2024-01-01T00:00:00.0000000Z', 'peer_ack', 'L2', '2024-01-01T00:00:01.0000000Z'),
                   ('00000000-0000-0000-0000-000000000002', 'L1', 'urn:t', 'inventory', 'application/json', '{"a":2}', '2024-01-01T00:00:02.0000000Z', 'pending', NULL, NULL);
            INSERT INTO replica (origin_terminal, origin_sequence, message_id, message_type, topic, content_type, body, created_at, received_at)
            VALUES ('L2', 7, '00000000-0000-0000-0000-000000000003', 'urn:t', 'transaction', 'application/json', '{"b":1}', '2024-01-01T00:00:00.0000000Z', '2024-01-01T00:00:03.0000000Z');
            INSERT INTO peer_ack_mark (peer_id, acked_through, acked_at) VALUES ('L2', 1, '2024-01-01T00:00:01.0000000Z');
            INSERT INTO inbox (message_id, consumer, consumed_at) VALUES ('00000000-0000-0000-0000-000000000003', 'Stock', '2024-01-01T00:00:04.0000000Z');
            INSERT INTO delivery_checkpoint (stream, position) VALUES ('outbox', 2), ('replica', 1);
            INSERT INTO lane_state (key, value, updated_at) VALUES ('cloud.lastOutcome', 'ok', '2024-01-01T00:00:05.0000000Z');
            """);

        await _file.MigrateAsync();

        Assert.Equal(LedgerMigrations.LatestVersion, await VersionAsync());
        Assert.Equal(2, await _file.ScalarAsync("SELECT COUNT(*) FROM outbox"));
        Assert.Equal(1, await _file.ScalarAsync("SELECT COUNT(*) FROM outbox WHERE sequence = 1 AND status = 'peer_ack' AND peer_acked_by = 'L2'"));
        Assert.Equal(1, await _file.ScalarAsync("SELECT COUNT(*) FROM outbox WHERE sequence = 2 AND status = 'pending' AND body = '{\"a\":2}'"));
        Assert.Equal(1, await _file.ScalarAsync("SELECT COUNT(*) FROM replica WHERE origin_sequence = 7 AND cloud_status = 'held'"));
        Assert.Equal(1, await _file.ScalarAsync("SELECT acked_through FROM peer_ack_mark WHERE peer_id = 'L2'"));
        Assert.Equal(1, await _file.ScalarAsync("SELECT COUNT(*) FROM inbox"));
        Assert.Equal(3, await _file.ScalarAsync("SELECT SUM(position) FROM delivery_checkpoint"));
        Assert.Equal(1, await _file.ScalarAsync("SELECT COUNT(*) FROM lane_state WHERE key = 'cloud.lastOutcome' AND value = 'ok'"));
        // AUTOINCREMENT survived: a new row never reuses a sequence.
        await _file.CaptureAsync(LedgerFile.Row("L1", 0, DateTimeOffset.UtcNow));
        Assert.Equal(3, await _file.ScalarAsync("SELECT MAX(sequence) FROM outbox"));
    }

    [Fact]
    public async Task A_second_start_changes_nothing()
    {
        await CreateUnversionedFileAsync();
        await _file.MigrateAsync();
        var schema = await SchemaTextAsync();

        await _file.MigrateAsync();

        Assert.Equal(schema, await SchemaTextAsync());
        Assert.Equal(LedgerMigrations.LatestVersion, await VersionAsync());
    }

    [Fact]
    public async Task A_new_file_gets_the_same_tables_as_an_upgraded_one()
    {
        await CreateUnversionedFileAsync();
        await _file.MigrateAsync();
        using var fresh = new LedgerFile();

        await fresh.MigrateAsync();

        Assert.Equal(await SchemaTextAsync(_file), await SchemaTextAsync(fresh));
        Assert.Equal("wal", await JournalModeAsync(fresh));
    }

    [Fact]
    public async Task Concurrent_starts_migrate_a_new_file_once()
    {
        var same = new LaneDatabase(Microsoft.Extensions.Options.Options.Create(_file.Database.Options));

        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => i % 2 == 0 ? _file.MigrateAsync() : LedgerDatabaseSetup.EnsureCreatedAsync(same)));

        Assert.Equal(LedgerMigrations.LatestVersion, await VersionAsync());
        Assert.Equal(1, await _file.ScalarAsync($"SELECT COUNT(*) FROM lane_state WHERE key = '{LedgerMigrations.VersionKey}'"));
    }

    [Fact]
    public async Task A_file_from_a_newer_PosBus_is_refused_unchanged()
    {
        await _file.MigrateAsync();
        await _file.ExecuteAsync($"UPDATE lane_state SET value = '{LedgerMigrations.LatestVersion + 1}' WHERE key = '{LedgerMigrations.VersionKey}'");
        var schema = await SchemaTextAsync();

        var refused = await Assert.ThrowsAsync<LaneDatabaseException>(_file.MigrateAsync);

        Assert.Contains($"version {LedgerMigrations.LatestVersion + 1}", refused.Message, StringComparison.Ordinal);
        Assert.Contains(_file.Path, refused.Message, StringComparison.Ordinal);
        Assert.Equal(schema, await SchemaTextAsync());
    }

    async Task CreateUnversionedFileAsync()
    {
        await using var connection = new SqliteConnection(LaneConnectionStrings.For(_file.Path));
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = UnversionedDdl;
        await command.ExecuteNonQueryAsync();
    }

    async Task<long> VersionAsync() =>
        await _file.ScalarAsync($"SELECT COALESCE((SELECT value FROM lane_state WHERE key = '{LedgerMigrations.VersionKey}'), 0)");

    Task<string> SchemaTextAsync() => SchemaTextAsync(_file);

    static async Task<string> SchemaTextAsync(LedgerFile file)
    {
        await using var connection = await file.Database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT group_concat(type || ' ' || name || ': ' || COALESCE(sql, ''), char(10)) FROM (SELECT * FROM sqlite_master ORDER BY name)";
        return (string)(await command.ExecuteScalarAsync())!;
    }

    static async Task<string> JournalModeAsync(LedgerFile file)
    {
        await using var connection = await file.Database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        return (string)(await command.ExecuteScalarAsync())!;
    }

    public void Dispose() => _file.Dispose();
}
