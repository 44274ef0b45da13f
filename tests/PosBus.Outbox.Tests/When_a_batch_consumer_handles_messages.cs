using MassTransit;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PosBus.Ledger.Sqlite;
using PosBus.Outbox.Tests.Infrastructure;
using PosBus.TestSupport;

namespace PosBus.Outbox.Tests;

/// <summary>
/// A consumer of <c>Batch&lt;InventoryAdjusted&gt;</c> behind PosBus's inbox: each message of a batch gets its own inbox
/// row in the batch's one save, and a redelivered batch reaches the consumer without what it already applied.
/// </summary>
public sealed class When_a_batch_consumer_handles_messages
{
    const int SaleCount = 40;
    const int AdjustmentsPerSale = 3;
    static readonly string Consumer = typeof(BatchStockConsumer).FullName!;

    [Fact]
    public async Task Every_message_is_applied_once_with_its_own_inbox_row()
    {
        using var database = new TempDatabase();
        var log = new BatchLog();
        await using var lane = await StartAsync(database, log);
        await SellAsync(lane);

        Assert.True(await AllHandledAsync(lane), $"inbox rows of the batch consumer: {await InboxCountAsync(lane)}");
        var applied = await lane.QueryAsync(db => db.StockMovements.Select(m => m.MessageId).ToListAsync());
        Assert.Equal(SaleCount * AdjustmentsPerSale, applied.Count);
        Assert.Equal(applied.Count, applied.Distinct().Count());
        Assert.Contains(log.Batches, batch => batch.Length > 1);
    }

    [Fact]
    public async Task A_redelivered_batch_is_narrowed_to_the_messages_not_applied_yet()
    {
        using var database = new TempDatabase();
        List<Guid> lost;
        await using (var first = await StartAsync(database, new BatchLog()))
        {
            await SellAsync(first);
            Assert.True(await AllHandledAsync(first));
            var all = await first.QueryAsync(db => db.StockMovements.OrderBy(m => m.Id).Select(m => m.MessageId).ToListAsync());
            // Every third adjustment as if its batch had not committed when the lane died: no effect, no inbox row.
            lost = [.. all.Where((_, i) => i % 3 == 0)];
        }

        await ForgetAsync(database, lost);
        var log = new BatchLog();
        await using var second = await StartAsync(database, log);

        Assert.True(await AllHandledAsync(second), $"inbox rows of the batch consumer: {await InboxCountAsync(second)}");
        await second.Harness.InactivityTask;
        var handedOver = log.Batches.SelectMany(b => b).ToList();
        Assert.Equal(lost.Order(), handedOver.Order());
        var applied = await second.QueryAsync(db => db.StockMovements.Select(m => m.MessageId).ToListAsync());
        Assert.Equal(SaleCount * AdjustmentsPerSale, applied.Count);
        Assert.Equal(applied.Count, applied.Distinct().Count());
    }

    static Task<LaneHost> StartAsync(TempDatabase database, BatchLog log) =>
        LaneHost.StartAsync(database, addConsumers: x =>
        {
            x.AddSingleton(log);
            x.AddConsumer<BatchStockConsumer, BatchStockConsumerDefinition>();
        });

    static async Task SellAsync(LaneHost lane)
    {
        for (var i = 0; i < SaleCount; i++)
        {
            await Sales.SaveAsync(lane.Services);
        }
    }

    static Task<bool> AllHandledAsync(LaneHost lane) =>
        Eventually.TrueAsync(async () => await InboxCountAsync(lane) == SaleCount * AdjustmentsPerSale, TimeSpan.FromSeconds(20));

    static Task<int> InboxCountAsync(LaneHost lane) => lane.QueryAsync(db => db.Inbox.CountAsync(i => i.Consumer == Consumer));

    /// <summary>Removes the effects and inbox rows of <paramref name="messageIds"/> and resets delivery to the start of the ledger.</summary>
    static async Task ForgetAsync(TempDatabase database, IEnumerable<Guid> messageIds)
    {
        await using var connection = new SqliteConnection(LaneConnectionStrings.For(database.FilePath));
        await connection.OpenAsync();
        await using var transaction = connection.BeginTransaction();
        foreach (var id in messageIds)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "DELETE FROM StockMovements WHERE upper(MessageId) = upper($text); DELETE FROM inbox WHERE message_id = $text AND consumer = $consumer";
            command.Parameters.AddWithValue("$text", id.ToString("D"));
            command.Parameters.AddWithValue("$consumer", Consumer);
            await command.ExecuteNonQueryAsync();
        }

        await using (var reset = connection.CreateCommand())
        {
            reset.Transaction = transaction;
            reset.CommandText = "DELETE FROM delivery_checkpoint";
            await reset.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }
}
