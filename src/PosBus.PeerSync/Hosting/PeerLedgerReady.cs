using PosBus.Ledger.Schema;
using PosBus.Ledger.Sqlite;

namespace PosBus.PeerSync.Hosting;

/// <summary>Creates the ledger tables once (idempotent DDL) before the listener or a sender first touches them.</summary>
internal sealed class PeerLedgerReady(LaneDatabase database)
{
    readonly Lazy<Task> _ready = new(async () =>
    {
        Directory.CreateDirectory(Path.GetDirectoryName(database.Options.DatabasePath)!);
        using var connection = await database.OpenAsync();
        await LedgerSchema.EnsureCreatedAsync(connection);
    });

    public Task EnsureAsync(CancellationToken cancellationToken) => _ready.Value.WaitAsync(cancellationToken);
}
