using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PosBus.Ledger.Sqlite;
using PosBus.Outbox.Configuration;

namespace PosBus.Benchmarks.Outbox;

/// <summary>(c) The same sale plus 1 SaleCompleted and 3 InventoryAdjusted through the PosBus outbox, local delivery running.</summary>
sealed class OutboxVariant(string databasePath) : IBenchVariant
{
    IHost? _host;

    public string Name => "c:outbox";

    public async Task StartAsync()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var options = new LaneDatabaseOptions { DataDirectory = Path.GetDirectoryName(databasePath)!, FileName = Path.GetFileName(databasePath) };
        builder.Services.Configure<LaneDatabaseOptions>(o =>
        {
            o.DataDirectory = options.DataDirectory;
            o.FileName = options.FileName;
        });
        builder.Services.AddDbContextPool<BenchDbContext>(o => o.UseSqlite(options.ConnectionString));
        builder.Services.AddMassTransit(x =>
        {
            x.AddPosBusOutbox<BenchDbContext>();
            x.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
        });
        _host = builder.Build();
        await BenchDatabase.CreateAsync(_host.Services, options);
        await _host.StartAsync();
    }

    public async Task SaleAsync()
    {
        await using var scope = _host!.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BenchDbContext>();
        var publish = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
        var sale = BenchSales.New();
        db.Sales.Add(sale);
        await publish.Publish(BenchSales.Completed(sale));
        foreach (var adjustment in BenchSales.Adjustments(sale))
        {
            await publish.Publish(adjustment);
        }

        await db.SaveChangesAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }
    }
}
