using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PosBus.Ledger.Sqlite;

namespace PosBus.Outbox.Sqlite;

/// <summary>
/// Runs the lane's <see cref="WalCheckpoint"/> every <see cref="LaneDatabaseOptions.WalCheckpointInterval"/>, so that
/// POS commits never checkpoint themselves; a failed checkpoint is logged and tried again on the next tick.
/// </summary>
sealed class WalCheckpointService(LaneDatabase database, ILogger<WalCheckpointService> logger) : BackgroundService
{
    readonly WalCheckpoint _checkpoint = new(database);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = database.Options;
        using var timer = new PeriodicTimer(options.WalCheckpointInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await _checkpoint.RunAsync(stoppingToken);
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
