using System.Diagnostics;
using System.Diagnostics.Metrics;
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
/// A POS writing at full speed appends more during one PASSIVE pass than RESTART may copy under the write lock, and
/// RESTART was skipped whenever PASSIVE had copied everything, which is what happens when one POS writes without pause
/// (<c>simulate</c> alone grew the WAL to 724 MB in 20 s): the WAL over the threshold now always gets its RESTART, after
/// further PASSIVE passes (each copying only what the previous one left) when the remainder is too large to copy under the lock. Lane connections also set
/// <c>journal_size_limit</c> (<see cref="SqlitePragmas"/>), so the file shrinks back after a burst once the WAL restarted.
/// </summary>
public sealed class WalCheckpoint(LaneDatabase database)
{
    /// <summary>Instrument on meter <see cref="SqliteWriteLock.MeterName"/>: how long each RESTART held up writers.</summary>
    public const string RestartInstrument = "posbus.sqlite.wal_restart.duration";

    // RESTART holds the write lock while it waits for readers: short, so that a sale waits at most this long for it.
    const int RestartWaitMs = 20;

    // What RESTART may copy while it holds the write lock (4 KB pages: 2 MB, a few ms). Smaller, and the PASSIVE passes
    // before it seldom got there while one POS filled the WAL at 50 MB/s.
    const long RestartCopyLimitPages = 512;

    // How long a tick keeps trying to RESTART: one POS writing without pause holds the lock most of the time, and a
    // single short wait for it failed often enough to let the WAL grow by several ticks' worth.
    static readonly TimeSpan RestartTryTime = TimeSpan.FromMilliseconds(300);

    // PASSIVE passes per attempt before giving up on a RESTART this tick (each copies less than the one before).
    const int MaxCatchUpPasses = 8;

    static readonly Meter Meter = new(SqliteWriteLock.MeterName);
    static readonly Histogram<double> RestartDuration = Meter.CreateHistogram<double>(RestartInstrument, "s", "Time a RESTART checkpoint held the lane's write lock");

    readonly FileInfo _wal = new(database.Options.DatabasePath + "-wal");

    // A WAL database's page size is fixed once it holds data: read on the first checkpoint, not on every tick.
    long _pageSize;

    /// <summary>
    /// Checkpoints if the WAL holds anything; returns the bytes the WAL held at the start of this run, from which the
    /// host picks its next tick. Throws <see cref="SqliteException"/> when SQLite cannot (full disk, a tool's lock).
    /// </summary>
    public async Task<long> RunAsync(CancellationToken cancellationToken)
    {
        _wal.Refresh();
        if (!_wal.Exists || _wal.Length == 0)
        {
            return 0;
        }

        var options = database.Options;
        using var background = LaneWriterRole.AsBackground();
        using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var (_, walPages, copiedPages) = await CheckpointAsync(connection, "PASSIVE", cancellationToken).ConfigureAwait(false);
        var pageSize = _pageSize > 0 ? _pageSize : _pageSize = await ScalarAsync(connection, "PRAGMA page_size", cancellationToken).ConfigureAwait(false);
        // Even a PASSIVE pass that copied everything does not make the WAL start over: the next writer restarts it only
        // if it began after that pass and before any other commit, which under steady writes never happens. RESTART does.
        var held = walPages * pageSize;
        if (held < options.WalCheckpointBytes)
        {
            return held;
        }

        LaneBusyHandler.Install(connection, RestartWaitMs);
        var trying = Stopwatch.StartNew();
        for (var attempt = 0; attempt == 0 || trying.Elapsed < RestartTryTime; attempt++)
        {
            if (attempt > 0)
            {
                await Task.Delay(RestartWaitMs, cancellationToken).ConfigureAwait(false);
            }

            for (var pass = 0; pass < MaxCatchUpPasses && walPages - copiedPages > RestartCopyLimitPages; pass++)
            {
                var before = copiedPages;
                (_, walPages, copiedPages) = await CheckpointAsync(connection, "PASSIVE", cancellationToken).ConfigureAwait(false);
                if (copiedPages <= before)
                {
                    return held; // a reader pins the WAL: nothing more to copy until it is done, try again next tick
                }
            }

            // RESTART copies what PASSIVE left while holding the write lock: only when that is little. It gives up
            // (busy) when it could not get the lock or a reader stayed on the WAL within its short wait: try again soon.
            if (walPages - copiedPages > RestartCopyLimitPages)
            {
                return held;
            }

            await LaneBusyHandler.GiveWayAsync(connection.DataSource, cancellationToken).ConfigureAwait(false);
            var started = Stopwatch.GetTimestamp();
            bool busy;
            using (LaneWriterRole.AsForeground())
            {
                (busy, walPages, copiedPages) = await CheckpointAsync(connection, "RESTART", cancellationToken).ConfigureAwait(false);
            }

            RestartDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
            if (!busy)
            {
                return held;
            }
        }

        return held;
    }

    /// <summary>Runs one checkpoint; returns whether it gave up (busy), the pages in the WAL and how many of them are now in the database file.</summary>
    static async Task<(bool Busy, long WalPages, long CopiedPages)> CheckpointAsync(SqliteConnection connection, string mode, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA wal_checkpoint({mode})";
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? (reader.GetInt64(0) != 0, reader.GetInt64(1), reader.GetInt64(2)) : (false, 0, 0);
    }

    static async Task<long> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }
}
