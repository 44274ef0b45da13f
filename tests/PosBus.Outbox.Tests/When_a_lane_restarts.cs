using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using PosBus.Contracts;
using PosBus.Ledger.Sqlite;
using PosBus.Outbox.Tests.Infrastructure;
using PosBus.TestSupport;

namespace PosBus.Outbox.Tests;

public sealed class When_a_lane_restarts
{
    [Fact]
    public async Task Rows_committed_while_delivery_was_off_are_delivered_on_the_same_file()
    {
        using var database = new TempDatabase();
        Sale pending;
        await using (var writer = await LaneHost.StartAsync(database, o => o.DeliveryEnabled = false))
        {
            pending = await Sales.SaveAsync(writer.Services);
            Assert.False(await writer.InboxHasAsync(pending.MessageId));
        }

        await using var lane = await LaneHost.StartAsync(database);

        Assert.True(await lane.ConsumedAsync(pending.MessageId));
        Assert.True(await Eventually.TrueAsync(
            () => lane.QueryAsync(db => db.Projections.AnyAsync(p => p.SaleId == pending.Id)), TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_redelivered_message_runs_the_consumer_only_once()
    {
        using var database = new TempDatabase();
        Sale sale;
        await using (var first = await LaneHost.StartAsync(database))
        {
            sale = await Sales.SaveAsync(first.Services);
            Assert.True(await Eventually.TrueAsync(
                () => first.QueryAsync(db => db.Inbox.AnyAsync(i => i.MessageId == sale.MessageId)), TimeSpan.FromSeconds(10)));
        }

        // As after a crash before the checkpoint: everything is delivered again.
        await ResetCheckpointsAsync(database);
        await using var second = await LaneHost.StartAsync(database);

        Assert.True(await Eventually.TrueAsync(
            () => second.Harness.Consumed.Any<SaleCompleted>(c => c.Context.MessageId == sale.MessageId), TimeSpan.FromSeconds(15)));
        await second.Harness.InactivityTask;
        Assert.Equal(1, await second.QueryAsync(db => db.Projections.CountAsync(p => p.SaleId == sale.Id)));
        Assert.Equal(1, await second.QueryAsync(db => db.Outbox.CountAsync(r => r.Topic == PosTopics.Other)));
    }

    static async Task ResetCheckpointsAsync(TempDatabase database)
    {
        await using var connection = new SqliteConnection(LaneConnectionStrings.For(database.FilePath));
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM delivery_checkpoint";
        await command.ExecuteNonQueryAsync();
    }
}
