using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PosBus.Contracts;
using PosBus.Outbox.Tests.Infrastructure;
using PosBus.TestSupport;

namespace PosBus.Outbox.Tests;

public sealed class When_a_save_fails
{
    [Fact]
    public async Task Neither_sale_nor_ledger_row_is_written_and_nothing_is_delivered()
    {
        using var database = new TempDatabase();
        await using var lane = await LaneHost.StartAsync(database);
        var first = await Sales.SaveAsync(lane.Services);

        var failed = Sales.New();
        failed.Id = first.Id; // primary key clash: the domain insert fails inside the transaction
        foreach (var line in failed.Lines)
        {
            line.SaleId = first.Id;
        }

        await using (var scope = lane.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
            db.Sales.Add(failed);
            await Sales.PublishAsync(scope.ServiceProvider.GetRequiredService<IPublishEndpoint>(), failed);
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        }

        var after = await Sales.SaveAsync(lane.Services); // the pooled context serves the next scope cleanly
        Assert.True(await lane.ConsumedAsync(after.MessageId));
        Assert.Equal(2, await lane.QueryAsync(db => db.Sales.CountAsync()));
        Assert.False(await lane.QueryAsync(db => db.Outbox.AnyAsync(r => r.MessageId == failed.MessageId)));
        Assert.Equal(8, await lane.QueryAsync(db => db.Outbox.CountAsync(r => r.Topic != PosTopics.Other)));
        Assert.False(await lane.InboxHasAsync(failed.MessageId));
    }

    [Fact]
    public async Task Publishing_without_saving_writes_and_delivers_nothing()
    {
        using var database = new TempDatabase();
        await using var lane = await LaneHost.StartAsync(database);

        var unsaved = Sales.New();
        await using (var scope = lane.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<TestDbContext>().Sales.Add(unsaved);
            await Sales.PublishAsync(scope.ServiceProvider.GetRequiredService<IPublishEndpoint>(), unsaved);
        }

        var saved = await Sales.SaveAsync(lane.Services);
        Assert.True(await lane.ConsumedAsync(saved.MessageId));
        Assert.False(await lane.InboxHasAsync(unsaved.MessageId));
        Assert.Equal(4, await lane.QueryAsync(db => db.Outbox.CountAsync(r => r.Topic != PosTopics.Other)));
    }
}
