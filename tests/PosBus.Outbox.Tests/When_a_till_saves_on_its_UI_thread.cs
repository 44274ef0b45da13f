using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MassTransit;
using PosBus.Outbox.Tests.Infrastructure;
using PosBus.TestSupport;

namespace PosBus.Outbox.Tests;

/// <summary>
/// A WPF or WinForms till saves a sale on its UI thread, sometimes with the synchronous <c>SaveChanges</c>, sometimes by
/// blocking on <c>SaveChangesAsync</c> (old code does). Neither may deadlock: PosBus's interceptors never wait for the
/// caller's SynchronizationContext (the synchronous path does synchronous work; the async path awaits with
/// ConfigureAwait(false), which the analyzers enforce for the libraries).
/// </summary>
public sealed class When_a_till_saves_on_its_UI_thread
{
    static readonly TimeSpan Deadlock = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Synchronous_SaveChanges_commits_the_sale_and_its_messages()
    {
        await using var till = await TillAsync();

        var sale = await till.SellAsync((db, publish, sale) =>
        {
            db.Sales.Add(sale);
            Sales.PublishAsync(publish, sale).GetAwaiter().GetResult();
            db.SaveChanges();
        });

        Assert.Equal(1, await till.Lane.QueryAsync(db => db.Sales.CountAsync(s => s.Id == sale.Id)));
        Assert.True(await till.Lane.ConsumedAsync(sale.MessageId), "the commit did not wake local delivery");
    }

    [Fact]
    public async Task Blocking_on_SaveChangesAsync_commits_without_waiting_for_the_UI_thread()
    {
        await using var till = await TillAsync();

        await till.SellAsync((db, publish, sale) =>
        {
            db.Sales.Add(sale);
            Sales.PublishAsync(publish, sale).GetAwaiter().GetResult();
            db.SaveChangesAsync().GetAwaiter().GetResult();
        });
    }

    [Fact]
    public async Task A_save_inside_the_tills_own_transaction_commits_its_messages_on_commit()
    {
        await using var till = await TillAsync();

        await till.SellAsync((db, publish, sale) =>
        {
            using var transaction = db.Database.BeginTransaction();
            db.Sales.Add(sale);
            db.SaveChanges();
            Sales.PublishAsync(publish, sale).GetAwaiter().GetResult();
            transaction.Commit();
        });
    }

    static async Task<Till> TillAsync()
    {
        var database = new TempDatabase();
        return new Till(database, await LaneHost.StartAsync(database), new UiThread());
    }

    /// <summary>A lane and the till's UI thread on which each sale is rung up.</summary>
    sealed record Till(TempDatabase Database, LaneHost Lane, UiThread Ui) : IAsyncDisposable
    {
        /// <summary>Rings up a new sale on the UI thread; then its message is in the ledger and nothing was posted back to the thread.</summary>
        public async Task<Sale> SellAsync(Action<TestDbContext, IPublishEndpoint, Sale> ringUp)
        {
            var sale = Sales.New();
            await Ui.RunAsync(() =>
            {
                using var scope = Lane.Services.CreateScope();
                ringUp(scope.ServiceProvider.GetRequiredService<TestDbContext>(), scope.ServiceProvider.GetRequiredService<IPublishEndpoint>(), sale);
            }).WaitAsync(Deadlock);

            Assert.True(await Lane.QueryAsync(db => db.Outbox.AnyAsync(r => r.MessageId == sale.MessageId)));
            Assert.Equal(0, Ui.Posted);
            return sale;
        }

        public async ValueTask DisposeAsync()
        {
            Ui.Dispose();
            await Lane.DisposeAsync();
            Database.Dispose();
        }
    }
}
