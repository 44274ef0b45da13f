using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PosBus.Outbox.Sqlite;

/// <summary>
/// Checkpoints the lane's WAL off the POS path. SQLite's automatic checkpoint runs inside the commit that crosses its
/// threshold, so a sale could pay for copying megabytes written by PosBus's own traffic; lane connections turn it off
/// (<see cref="SqlitePragmas"/>). Every <see cref="LaneDatabaseOptions.WalCheckpointInterval"/> a PASSIVE checkpoint
/// copies what no reader needs, never waiting and never blocking anyone. Under steady writes it never reaches the end
/// of the WAL, and SQLite starts the WAL over only after a checkpoint that did: the file grew to half a gigabyte in a
/// contention test, and every fsync paid for it. So once the WAL holds <see cref="LaneDatabaseOptions.WalCheckpointBytes"/>,
/// a RESTART checkpoint finishes the job: it gives way to waiting POS writers first and gives up after a short wait.
/// </summary>
sealed class WalCheckpointService(LaneDatabase database, ILogger<WalCheckpointService> logger) : BackgroundService
{
    const int RestartWaitMs = 50;

    const long RestartCopyLimitPages = 256;

    // A WAL database's page size is fixed once it holds data: read on the first checkpoint, not on every tick.
    long _pageSize;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = database.Options;
        var wal = new FileInfo(options.DatabasePath + "-wal");
        using var timer = new PeriodicTimer(options.WalCheckpointInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                wal.Refresh();
                if (wal.Exists && wal.Length > 0)
                {
                    await CheckpointAsync(options, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    async Task CheckpointAsync(LaneDatabaseOptions options, CancellationToken cancellationToken)
    {
        try
        {
            using var background = LaneWriterRole.AsBackground();
            await using var connection = await database.OpenAsync(cancellationToken);
            var (walPages, copiedPages) = await RunAsync(connection, "PASSIVE", cancellationToken);
            var pageSize = _pageSize > 0 ? _pageSize : _pageSize = await ScalarAsync(connection, "PRAGMA page_size", cancellationToken);
            // RESTART copies what PASSIVE left while holding the write lock: only when that is little.
            if (copiedPages < walPages && walPages * pageSize >= options.WalCheckpointBytes && walPages - copiedPages <= RestartCopyLimitPages)
            {
                LaneBusyHandler.Install(connection, RestartWaitMs);
                await LaneBusyHandler.GiveWayAsync(connection.DataSource, cancellationToken);
                await RunAsync(connection, "RESTART", cancellationToken);
            }
        }
        catch (SqliteException exception)
        {
            // A full disk or a lock held by a tool: the WAL keeps the data, the next tick tries again.
            logger.LogWarning("WAL checkpoint of {Database} failed: {Reason}; retrying in {Interval}",
                options.DatabasePath, exception.Message, options.WalCheckpointInterval);
        }
    }

    /// <summary>Runs one checkpoint; returns the pages in the WAL and how many of them are now in the database file.</summary>
    static async Task<(long WalPages, long CopiedPages)> RunAsync(SqliteConnection connection, string mode, CancellationToken cancellationToken)
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
