using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PosBus.Contracts;
using PosBus.Outbox.Tests.Infrastructure;
using PosBus.TestSupport;

namespace PosBus.Outbox.Tests;

public sealed class When_publishing_inside_an_explicit_transaction
{
    [Fact]
    public async Task Commit_writes_the_rows_into_that_transaction()
    {
        using var database = new TempDatabase();
        await using var lane = await LaneHost.StartAsync(database);
        var sale = Sales.New();

        await using (var scope = lane.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Sales.Add(sale);
            await db.SaveChangesAsync();
            // Published after the last save: written just before the commit.
            await Sales.PublishAsync(scope.ServiceProvider.GetRequiredService<IPublishEndpoint>(), sale);
            await transaction.CommitAsync();
        }

        Assert.Equal(4, await lane.QueryAsync(db => db.Outbox.CountAsync(r => r.Topic != PosTopics.Other)));
        Assert.True(await lane.ConsumedAsync(sale.MessageId));
    }

    [Fact]
    public async Task Rollback_writes_and_delivers_nothing()
    {
        using var database = new TempDatabase();
        await using var lane = await LaneHost.StartAsync(database);
        var sale = Sales.New();

        await using (var scope = lane.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Sales.Add(sale);
            await Sales.PublishAsync(scope.ServiceProvider.GetRequiredService<IPublishEndpoint>(), sale);
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
        }

        var next = await Sales.SaveAsync(lane.Services);
        Assert.True(await lane.ConsumedAsync(next.MessageId));
        Assert.False(await lane.InboxHasAsync(sale.MessageId));
        Assert.Equal(1, await lane.QueryAsync(db => db.Sales.CountAsync()));
        Assert.Equal(4, await lane.QueryAsync(db => db.Outbox.CountAsync(r => r.Topic != PosTopics.Other)));
    }
}
