using Microsoft.Extensions.Hosting;
using PosBus.Ledger.Schema;
using PosBus.Ledger.Sqlite;

namespace PosBus.Outbox.Delivery;

/// <summary>Creates the ledger tables when the host starts, before delivery or any sender reads them.</summary>
sealed class LedgerSchemaService(LaneDatabase database) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => LedgerDatabaseSetup.EnsureCreatedAsync(database, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
