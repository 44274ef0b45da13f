using MassTransit;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PosBus.Ledger.Schema;
using PosBus.Ledger.Sqlite;
using PosBus.Outbox.Configuration;
using PosBus.TestSupport;

namespace PosBus.Outbox.Tests.Infrastructure;

/// <summary>A lane as a POS app builds it (pooled DbContext, outbox, one consumer) on a test's database file.</summary>
public sealed class LaneHost : IAsyncDisposable
{
    LaneHost(IHost host) => Host = host;

    public IHost Host { get; }

    public IServiceProvider Services => Host.Services;

    public ITestHarness Harness => Host.Services.GetTestHarness();

    /// <summary>Starts the lane; <paramref name="addConsumers"/> registers consumers besides the two every lane has.</summary>
    public static async Task<LaneHost> StartAsync(
        TempDatabase database, Action<PosBusOutboxOptions>? configure = null, Action<IBusRegistrationConfigurator>? addConsumers = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.Configure<LaneDatabaseOptions>(o =>
        {
            o.DataDirectory = database.DirectoryPath;
            o.FileName = database.FileName;
        });
        var connectionString = LaneConnectionStrings.For(database.FilePath);
        builder.Services.AddDbContextPool<TestDbContext>(o => o.UseSqlite(connectionString));
        builder.Services.AddMassTransitTestHarness(x =>
        {
            x.AddPosBusOutbox<TestDbContext>(o =>
            {
                o.PollInterval = TimeSpan.FromMilliseconds(200);
                o.CheckpointInterval = TimeSpan.FromMilliseconds(100);
                configure?.Invoke(o);
            });
            x.AddConsumer<SaleCompletedConsumer>();
            x.AddConsumer<InventoryAdjustedConsumer>();
            addConsumers?.Invoke(x);
        });
        var host = builder.Build();
        await EnsureDatabaseAsync(host.Services);
        await host.StartAsync();
        return new LaneHost(host);
    }

    /// <summary>The host's order: the POS app's EF EnsureCreated first, then the ledger DDL.</summary>
    public static async Task EnsureDatabaseAsync(IServiceProvider services)
    {
        await using (var scope = services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<TestDbContext>().Database.EnsureCreatedAsync();
        }

        await LedgerDatabaseSetup.EnsureCreatedAsync(services.GetRequiredService<LaneDatabase>());
    }

    public async Task<T> QueryAsync<T>(Func<TestDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<TestDbContext>());
    }

    /// <summary>Publishes <paramref name="message"/> through a fresh scope's outbox and saves with no domain change.</summary>
    public async Task PublishAndSaveAsync<T>(T message)
        where T : class
    {
        await using var scope = Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IPublishEndpoint>().Publish(message);
        await scope.ServiceProvider.GetRequiredService<TestDbContext>().SaveChangesAsync();
    }

    /// <summary>Waits until a consumer handled the message (its inbox row committed); the harness cannot see our delivery loop coming.</summary>
    public Task<bool> ConsumedAsync(Guid messageId, TimeSpan? timeout = null) =>
        Eventually.TrueAsync(() => InboxHasAsync(messageId), timeout ?? TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(5));

    public Task<bool> InboxHasAsync(Guid messageId) => QueryAsync(db => db.Inbox.AnyAsync(i => i.MessageId == messageId));

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        Host.Dispose();
    }
}
