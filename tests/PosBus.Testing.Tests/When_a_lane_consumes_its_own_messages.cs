using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PosBus.Contracts;
using PosBus.Ledger;
using PosBus.Testing.Tests.App;

namespace PosBus.Testing.Tests;

public sealed class When_a_lane_consumes_its_own_messages
{
    [Fact]
    public async Task The_consumer_applies_the_committed_message_once_and_the_kit_sees_it()
    {
        await using var lane = await TestLane.StartAsync<KitTillDbContext>(l => l.AsTheApp());
        var adjustment = KitLanes.Adjustment(lane.TerminalId);

        await lane.SellAsync(adjustment);

        var message = await lane.WaitForConsumedAsync<KitStockConsumer>(adjustment.MessageId);
        Assert.Equal(LedgerStatus.Pending, message.Status); // no peer, no cloud: it stays pending on this lane
        Assert.False(message.IsReplica);
        var consumed = await lane.WaitForHarnessConsumedAsync<InventoryAdjusted>(m => m.MessageId == adjustment.MessageId);
        Assert.Equal(adjustment.Sku, consumed.Sku);
        await using var scope = lane.Services.CreateAsyncScope();
        var applied = await scope.ServiceProvider.GetRequiredService<KitTillDbContext>().Movements.SingleAsync();
        Assert.Equal(adjustment.MessageId, applied.MessageId);
    }

    [Fact]
    public async Task A_save_that_fails_publishes_nothing()
    {
        await using var lane = await TestLane.StartAsync<KitTillDbContext>(l => l.AsTheApp());
        var adjustment = KitLanes.Adjustment(lane.TerminalId);
        var existing = Guid.NewGuid();
        await lane.SaveAsync((db, _) => { db.Movements.Add(new AppliedMovement { MessageId = existing, Sku = "X" }); return Task.CompletedTask; });

        // The same primary key again: the app's SaveChangesAsync fails, and the message published with it must not exist.
        await Assert.ThrowsAsync<DbUpdateException>(() => lane.SaveAsync(async (db, publish) =>
        {
            db.Movements.Add(new AppliedMovement { MessageId = existing, Sku = "X" });
            await publish.Publish(adjustment);
        }));

        Assert.Null(await lane.FindMessageAsync(adjustment.MessageId));
        var error = await Assert.ThrowsAsync<TimeoutException>(() => lane.WaitForConsumedAsync<KitStockConsumer>(adjustment.MessageId, TimeSpan.FromMilliseconds(300)));
        Assert.Contains("holds no copy", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lane_restarted_on_its_files_keeps_its_messages_and_does_not_apply_them_twice()
    {
        var directory = Path.Combine(Path.GetTempPath(), "posbus-kit-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var adjustment = KitLanes.Adjustment("L1");
            await using (var first = await TestLane.StartAsync<KitTillDbContext>(l => l.AsTheApp().DataDirectory = directory))
            {
                await first.SellAsync(adjustment);
                await first.WaitForConsumedAsync<KitStockConsumer>(adjustment.MessageId);
            }

            await using var second = await TestLane.StartAsync<KitTillDbContext>(l => l.AsTheApp().DataDirectory = directory);
            var later = KitLanes.Adjustment("L1", "SKU-2");
            await second.SellAsync(later);
            await second.WaitForConsumedAsync<KitStockConsumer>(later.MessageId);

            Assert.NotNull(await second.FindMessageAsync(adjustment.MessageId));
            await using var scope = second.Services.CreateAsyncScope();
            Assert.Equal(2, await scope.ServiceProvider.GetRequiredService<KitTillDbContext>().Movements.CountAsync());
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }
}
