using Microsoft.EntityFrameworkCore;
using PosBus.Contracts;
using PosBus.Outbox.Tests.Infrastructure;
using PosBus.TestSupport;

namespace PosBus.Outbox.Tests;

public sealed class When_only_messages_are_saved
{
    [Fact]
    public async Task A_save_without_domain_changes_still_writes_and_delivers_them()
    {
        using var database = new TempDatabase();
        await using var lane = await LaneHost.StartAsync(database);
        var adjustment = new InventoryAdjusted
        {
            MessageId = Guid.NewGuid(), TerminalId = "L1", OccurredAt = DateTimeOffset.UtcNow, Sku = "SKU-9", Delta = 5, Reason = InventoryReasons.Receipt,
        };

        await lane.PublishAndSaveAsync(adjustment);

        Assert.True(await lane.QueryAsync(db => db.Outbox.AnyAsync(r => r.MessageId == adjustment.MessageId && r.Topic == PosTopics.Inventory)));
        Assert.True(await lane.ConsumedAsync(adjustment.MessageId));
    }
}
