using Microsoft.EntityFrameworkCore;
using PosBus.Contracts;
using PosBus.Ledger;
using PosBus.Outbox.Tests.Infrastructure;
using PosBus.TestSupport;

namespace PosBus.Outbox.Tests;

public sealed class When_a_sale_is_saved_with_its_messages
{
    [Fact]
    public async Task Sale_rows_and_ledger_rows_commit_together()
    {
        using var database = new TempDatabase();
        await using var lane = await LaneHost.StartAsync(database);

        var sale = await Sales.SaveAsync(lane.Services);

        Assert.Equal(1, await lane.QueryAsync(db => db.Sales.CountAsync()));
        Assert.Equal(3, await lane.QueryAsync(db => db.SaleLines.CountAsync()));
        var rows = await lane.QueryAsync(db => db.Outbox.Where(r => r.Topic != PosTopics.Other).OrderBy(r => r.Sequence).ToListAsync());
        Assert.Equal([PosTopics.Transaction, PosTopics.Inventory, PosTopics.Inventory, PosTopics.Inventory], rows.Select(r => r.Topic));
        Assert.All(rows, r => Assert.Equal(LedgerStatus.Pending, r.Status));
        Assert.All(rows, r => Assert.Equal("L1", r.OriginTerminal));
        Assert.Equal(sale.MessageId, rows[0].MessageId);
    }

    [Fact]
    public async Task Ledger_body_is_the_bare_message_in_camel_case()
    {
        using var database = new TempDatabase();
        await using var lane = await LaneHost.StartAsync(database);

        var sale = await Sales.SaveAsync(lane.Services);

        var row = await lane.QueryAsync(db => db.Outbox.SingleAsync(r => r.MessageId == sale.MessageId));
        Assert.StartsWith("{\"messageId\":\"" + sale.MessageId.ToString("D"), row.Body, StringComparison.Ordinal);
        Assert.Contains("\"saleId\":\"" + sale.Id.ToString("D") + "\"", row.Body, StringComparison.Ordinal);
        Assert.Contains("urn:message:PosBus.Contracts:SaleCompleted", row.MessageType, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Local_consumer_gets_the_pos_message_id_as_message_id()
    {
        using var database = new TempDatabase();
        await using var lane = await LaneHost.StartAsync(database);

        var sale = await Sales.SaveAsync(lane.Services);

        Assert.True(await lane.ConsumedAsync(sale.MessageId));
        Assert.True(await lane.Harness.Consumed.Any<SaleCompleted>(c => c.Context.MessageId == sale.MessageId && c.Context.Message.SaleId == sale.Id));
        Assert.True(await Eventually.TrueAsync(
            () => lane.QueryAsync(db => db.Projections.AnyAsync(p => p.SaleId == sale.Id)), TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Consumer_changes_inbox_row_and_its_published_message_commit_together()
    {
        using var database = new TempDatabase();
        await using var lane = await LaneHost.StartAsync(database);

        var sale = await Sales.SaveAsync(lane.Services);

        Assert.True(await Eventually.TrueAsync(
            () => lane.QueryAsync(db => db.Inbox.AnyAsync(i => i.MessageId == sale.MessageId)), TimeSpan.FromSeconds(10)));
        Assert.Equal(1, await lane.QueryAsync(db => db.Projections.CountAsync(p => p.SaleId == sale.Id)));
        Assert.Equal(1, await lane.QueryAsync(db => db.Outbox.CountAsync(r => r.Topic == PosTopics.Other)));
    }
}
