using Microsoft.Data.Sqlite;

namespace PosBus.Ledger.Sqlite;

/// <summary>
/// Checkpoints the lane's WAL off the POS path, one call per tick of whatever hosts it. SQLite's automatic checkpoint
/// runs inside the commit that crosses its threshold, so a sale could pay for copying megabytes written by PosBus's own
/// traffic; lane connections turn it off (<see cref="SqlitePragmas"/>). A PASSIVE checkpoint copies what no reader needs,
/// never waiting and never blocking anyone. Under steady writes it never reaches the end of the WAL, and SQLite starts
/// the WAL over only after a checkpoint that did: the file grew to half a gigabyte in a contention test, and every fsync
/// paid for it. So once the WAL holds <see cref="LaneDatabaseOptions.WalCheckpointBytes"/>, a RESTART checkpoint
/// finishes the job: it gives way to waiting POS writers first and gives up after a short wait.
/// </summary>
public sealed class WalCheckpoint(LaneDatabase database)
{
    const int RestartWaitMs = 50;

    const long RestartCopyLimitPages = 256;

    readonly FileInfo _wal = new(database.Options.DatabasePath + "-wal");

    // A WAL database's page size is fixed once it holds data: read on the first checkpoint, not on every tick.
    long _pageSize;

    /// <summary>Checkpoints if the WAL holds anything. Throws <see cref="SqliteException"/> when SQLite cannot (full disk, a tool's lock).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _wal.Refresh();
        if (!_wal.Exists || _wal.Length == 0)
        {
            return;
        }

        var options = database.Options;
        using var background = LaneWriterRole.AsBackground();
        await using var connection = await database.OpenAsync(cancellationToken);
        var (walPages, copiedPages) = await CheckpointAsync(connection, "PASSIVE", cancellationToken);
        var pageSize = _pageSize > 0 ? _pageSize : _pageSize = await ScalarAsync(connection, "PRAGMA page_size", cancellationToken);
        // RESTART copies what PASSIVE left while holding the write lock: only when that is little.
        if (copiedPages < walPages && walPages * pageSize >= options.WalCheckpointBytes && walPages - copiedPages <= RestartCopyLimitPages)
        {
            LaneBusyHandler.Install(connection, RestartWaitMs);
            await LaneBusyHandler.GiveWayAsync(connection.DataSource, cancellationToken);
            await CheckpointAsync(connection, "RESTART", cancellationToken);
        }
    }

    /// <summary>Runs one checkpoint; returns the pages in the WAL and how many of them are now in the database file.</summary>
    static async Task<(long WalPages, long CopiedPages)> CheckpointAsync(SqliteConnection connection, string mode, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA wal_checkpoint({mode})";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetInt64(1), reader.GetInt64(2)) : (0, 0);
    }

    static async Task<long> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
