using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PosBus.Ledger.Sqlite;
using PosBus.Outbox.Sqlite;

namespace PosBus.Benchmarks.Outbox;

/// <summary>(a) The POS app alone: the sale saved through a pooled EF Core DbContext, nothing published.</summary>
sealed class EfOnlyVariant(string databasePath) : IBenchVariant
{
    ServiceProvider? _services;

    public string Name => "a:ef-only";

    public async Task StartAsync()
    {
        var options = new LaneDatabaseOptions { DataDirectory = Path.GetDirectoryName(databasePath)!, FileName = Path.GetFileName(databasePath) };
        var services = new ServiceCollection();
        services.AddDbContextPool<BenchDbContext>(o => o.UseSqlite(options.ConnectionString).AddInterceptors(new SqlitePragmaInterceptor(options)));
        _services = services.BuildServiceProvider();
        await BenchDatabase.CreateAsync(_services, options);
    }

    public async Task SaleAsync()
    {
        await using var scope = _services!.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BenchDbContext>();
        db.Sales.Add(BenchSales.New());
        await db.SaveChangesAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
    }
}
