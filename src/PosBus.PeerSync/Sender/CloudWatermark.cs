using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PosBus.Ledger.Stores;

namespace PosBus.PeerSync.Sender;

/// <summary>
/// This lane's cloud-settled watermark (<see cref="SyncLedger.CloudSettledThroughAsync"/>) as every outbound link's
/// heartbeat carries it: read from SQLite at most once per heartbeat interval and shared, so a lane with many peers
/// does not read it once per link per heartbeat.
/// </summary>
internal sealed class CloudWatermark(SyncLedger ledger, IOptions<PeerSyncOptions> options, TimeProvider time, ILogger<CloudWatermark> logger) : IDisposable
{
    readonly TimeSpan _maxAge = TimeSpan.FromMilliseconds(options.Value.HeartbeatIntervalMs);
    readonly SemaphoreSlim _reading = new(1, 1);
    long? _through;
    long? _readAt;

    /// <summary>The watermark as read at most one heartbeat interval ago, or null while the database has not said yet.</summary>
    public async Task<long?> ReadAsync(CancellationToken cancellationToken)
    {
        await _reading.WaitAsync(cancellationToken);
        try
        {
            if (_readAt is not { } readAt || time.GetElapsedTime(readAt) >= _maxAge)
            {
                var started = time.GetTimestamp();
                _through = await ReadLedgerAsync(cancellationToken) ?? _through;
                _readAt = started;
            }

            return _through;
        }
        finally
        {
            _reading.Release();
        }
    }

    /// <summary>The ledger's answer, or null when the database cannot say right now: a busy database must not drop any link.</summary>
    async Task<long?> ReadLedgerAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await ledger.CloudSettledThroughAsync(cancellationToken);
        }
        catch (SqliteException e)
        {
            logger.LogDebug(e, "Cloud watermark not read this heartbeat interval");
            return null;
        }
    }

    public void Dispose() => _reading.Dispose();
}
