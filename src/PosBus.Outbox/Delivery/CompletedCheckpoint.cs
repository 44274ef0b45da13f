using System.Diagnostics;
using Microsoft.Data.Sqlite;
using PosBus.Ledger.Stores;

namespace PosBus.Outbox.Delivery;

/// <summary>
/// Writes, every interval and on stop, the position of each stream up to which the local consumers completed every row
/// (<see cref="ConsumerCompletion"/>), never merely what was handed to the bus: a crash at any point redelivers exactly
/// what was not finished. Only while this process holds the delivery lease (checked in the same write).
/// </summary>
sealed class CompletedCheckpoint(DeliveryStream[] streams, ConsumerCompletion completion, string leaseOwner, TimeProvider time, TimeSpan interval)
{
    Dictionary<string, long> _written = streams.ToDictionary(s => s.Name, s => s.Position);
    long _lastTick = Stopwatch.GetTimestamp();

    public async Task MaybeSaveAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        if (Stopwatch.GetElapsedTime(_lastTick) < interval)
        {
            return;
        }

        _lastTick = Stopwatch.GetTimestamp();
        await SaveIfChangedAsync(connection, cancellationToken).ConfigureAwait(false);
    }

    public Task SaveOnStopAsync(SqliteConnection connection) => SaveIfChangedAsync(connection, CancellationToken.None);

    async Task SaveIfChangedAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var positions = streams.ToDictionary(s => s.Name, s => completion.CompletedThrough(s.Name, s.Position));
        if (positions.All(p => _written.GetValueOrDefault(p.Key) == p.Value))
        {
            return;
        }

        if (await DeliveryStore.SavePositionsAsync(connection, positions, leaseOwner, time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            _written = positions;
        }
    }
}
