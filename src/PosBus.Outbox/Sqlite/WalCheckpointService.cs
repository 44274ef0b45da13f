using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PosBus.Ledger.Sqlite;

namespace PosBus.Outbox.Sqlite;

/// <summary>
/// Runs the lane's <see cref="WalCheckpoint"/> every <see cref="LaneDatabaseOptions.WalCheckpointInterval"/>, so that
/// POS commits never checkpoint themselves (every 50 ms while the WAL fills fast); a failed checkpoint is logged and
/// tried again on the next tick.
/// </summary>
sealed class WalCheckpointService(LaneDatabase database, ILogger<WalCheckpointService> logger) : BackgroundService
{
    static readonly TimeSpan BusyInterval = TimeSpan.FromMilliseconds(50);

    // How long the fast ticks go on after the WAL last filled fast.
    static readonly TimeSpan BusyPeriod = TimeSpan.FromSeconds(5);

    readonly WalCheckpoint _checkpoint = new(database);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = database.Options;
        try
        {
            var fastUntil = 0L;
            while (true)
            {
                var fast = Stopwatch.GetTimestamp() < fastUntil && options.WalCheckpointInterval > BusyInterval;
                await Task.Delay(fast ? BusyInterval : options.WalCheckpointInterval, stoppingToken).ConfigureAwait(false);
                try
                {
                    // A POS writing at full speed fills tens of MB a second: while the WAL fills that fast (a quarter of
                    // the restart threshold within a tick, lately), look every 50 ms, so that it starts over near the
                    // threshold and not a whole interval later.
                    if (await _checkpoint.RunAsync(stoppingToken).ConfigureAwait(false) >= options.WalCheckpointBytes / 4)
                    {
                        fastUntil = Stopwatch.GetTimestamp() + (long)(BusyPeriod.TotalSeconds * Stopwatch.Frequency);
                    }
                }
                catch (SqliteException exception)
                {
                    // A full disk or a lock held by a tool: the WAL keeps the data, the next tick tries again.
                    logger.LogWarning("WAL checkpoint of {Database} failed: {Reason}; retrying in {Interval}",
                        options.DatabasePath, exception.Message, options.WalCheckpointInterval);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
