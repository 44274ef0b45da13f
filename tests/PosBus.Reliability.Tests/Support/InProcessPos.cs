using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PosBus.Operations;
using PosBus.Reliability.Tests.Support.Till;
using PosBus.Terminal.Simulation;

namespace PosBus.Reliability.Tests.Support;

/// <summary>
/// POS code in this test process, on a lane's database: a test till built on PosBus's public API as a POS app is
/// (its own DbContext, <c>AddPosBus</c> with capture only), timing each sale from the call to the returned commit. With
/// <c>consumes</c> it also runs the till's store-stock consumer, and so takes local delivery on the file (the lane process
/// beside it consumes nothing).
/// </summary>
public sealed class InProcessPos : IAsyncDisposable
{
    readonly IHost _host;
    readonly SaleGenerator _sales;

    InProcessPos(IHost host, string terminalId)
    {
        _host = host;
        _sales = new SaleGenerator(seed: 6, terminalId);
    }

    public static async Task<InProcessPos> StartAsync(string terminalId, string dataDirectory, bool consumes = false)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Lane:TerminalId"] = terminalId,
            ["Lane:StoreId"] = "demo-store",
            ["Database:DataDirectory"] = dataDirectory,
        });
        builder.Services.AddDbContextPool<TillDbContext>((services, options) => options.UsePosBusSqlite(services));
        builder.Services.AddScoped<TillCheckout>();
        builder.Services.AddPosBus<TillDbContext>(builder.Configuration, posbus =>
        {
            posbus.Stages.PeerSync = posbus.Stages.CloudSync = posbus.Stages.Operations = false;
            if (consumes)
            {
                // Batches of 50 (or what came within 50 ms), one at a time: the lane's one write lock is shared with the tills.
                posbus.ConfigureBus(x => x.AddConsumer<TillStockConsumer>(c =>
                    c.Options<BatchOptions>(batch => batch.SetMessageLimit(50).SetTimeLimit(TimeSpan.FromMilliseconds(50)).SetConcurrencyLimit(1))));
            }
        });
        var host = builder.Build();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await TillSchema.EnsureCreatedAsync(scope.ServiceProvider.GetRequiredService<TillDbContext>());
        }

        await host.StartAsync();
        return new InProcessPos(host, terminalId);
    }

    /// <summary>Rings up one generated sale; returns how long until its commit returned.</summary>
    public Task<TimeSpan> SellAsync() => SellAsync(_sales.Next(DateTimeOffset.UtcNow));

    /// <summary>Rings up <paramref name="sale"/>; returns how long until its commit returned.</summary>
    public async Task<TimeSpan> SellAsync(SimulatedSale sale)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var checkout = scope.ServiceProvider.GetRequiredService<TillCheckout>();
        var clock = Stopwatch.StartNew();
        await checkout.CompleteAsync(sale);
        return clock.Elapsed;
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
