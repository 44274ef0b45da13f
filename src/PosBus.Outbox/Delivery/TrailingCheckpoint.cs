using System.Diagnostics;
using Microsoft.Data.Sqlite;
using PosBus.Ledger.Stores;

namespace PosBus.Outbox.Delivery;

/// <summary>Writes positions one interval after they were reached: by then the in-process consumers have run.</summary>
sealed class TrailingCheckpoint(DeliveryStream[] streams, TimeSpan interval)
{
    Dictionary<string, long> _written = Snapshot(streams);
    Dictionary<string, long> _trailing = Snapshot(streams);
    long _lastTick = Stopwatch.GetTimestamp();

    public async Task MaybeSaveAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        if (Stopwatch.GetElapsedTime(_lastTick) < interval)
        {
            return;
        }

        _lastTick = Stopwatch.GetTimestamp();
        await SaveIfChangedAsync(connection, _trailing, cancellationToken);
        _trailing = Snapshot(streams);
    }

    public Task SaveOnStopAsync(SqliteConnection connection) => SaveIfChangedAsync(connection, _trailing, CancellationToken.None);

    async Task SaveIfChangedAsync(SqliteConnection connection, Dictionary<string, long> positions, CancellationToken cancellationToken)
    {
        if (positions.All(p => _written.GetValueOrDefault(p.Key) == p.Value))
        {
            return;
        }

        await DeliveryStore.SavePositionsAsync(connection, positions, cancellationToken);
        _written = positions;
    }

    static Dictionary<string, long> Snapshot(DeliveryStream[] streams) => streams.ToDictionary(s => s.Name, s => s.Position);
}
