using Microsoft.Extensions.DependencyInjection;
using PosBus.Ledger.Schema;
using PosBus.Ledger.Sqlite;

namespace PosBus.Benchmarks.Outbox;

/// <summary>Creates a variant's file the way a lane does: EF Core tables first, then the ledger DDL (WAL).</summary>
static class BenchDatabase
{
    public static async Task CreateAsync(IServiceProvider services, LaneDatabaseOptions options)
    {
        await using (var scope = services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<BenchDbContext>().Database.EnsureCreatedAsync();
        }

        await LedgerDatabaseSetup.EnsureCreatedAsync(new LaneDatabase(Microsoft.Extensions.Options.Options.Create(options)));
    }
}
