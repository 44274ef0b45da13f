using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PosBus.Ledger;
using PosBus.Sample.Till.Domain;
using PosBus.Testing;

namespace PosBus.Sample.Till.Tests;

public sealed class When_a_sale_is_rung_up
{
    [Fact]
    public async Task The_sale_and_its_messages_commit_together_and_the_stock_consumer_applies_each_adjustment_once()
    {
        await using var till = await TestLane.StartAsync<PosDbContext>(lane => lane.AsTheTill());

        var sale = await till.RingUpAsync(TillLanes.TwoItems(new CustomerDetails("CU-1", "Ada", null, null)));

        Assert.Single(await till.CommittedMessagesAsync("transaction"));
        Assert.Single(await till.CommittedMessagesAsync("customer"));
        var adjustments = await till.CommittedMessagesAsync("inventory");
        Assert.Equal(2, adjustments.Count);
        foreach (var adjustment in adjustments)
        {
            var message = await till.WaitForConsumedAsync<StoreStockConsumer>(adjustment.MessageId);
            Assert.Equal(LedgerStatus.Pending, message.Status);
        }

        await using var scope = till.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PosDbContext>();
        Assert.Equal(sale.Id, (await db.Sales.SingleAsync()).Id);
        var movements = await db.StoreStockMovements.OrderBy(m => m.Sku).ToListAsync();
        Assert.Equal(adjustments.Select(a => a.MessageId).Order(), movements.Select(m => m.MessageId).Order());
        Assert.Equal(-3, movements.Sum(m => m.Delta));
    }

    [Fact]
    public async Task An_unknown_sku_fails_the_sale_and_commits_no_message()
    {
        await using var till = await TestLane.StartAsync<PosDbContext>(lane => lane.AsTheTill());

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            till.RingUpAsync(new Cart("C1", [new CartItem("no-such-sku", 1)], "cash", null)));

        Assert.Empty(await till.CommittedMessagesAsync());
    }

    [Fact]
    public async Task The_status_endpoints_report_the_lane()
    {
        await using var till = await TestLane.StartAsync<PosDbContext>(lane => lane.AsTheTill());
        await till.RingUpAsync(TillLanes.TwoItems());
        using var http = new HttpClient { BaseAddress = till.BaseAddress };

        var status = await http.GetStringAsync(new Uri("status", UriKind.Relative));
        var page = await http.GetStringAsync(new Uri("/", UriKind.Relative));

        Assert.Contains("\"pending\"", status, StringComparison.Ordinal);
        Assert.Contains("<html", page, StringComparison.OrdinalIgnoreCase);
    }
}
