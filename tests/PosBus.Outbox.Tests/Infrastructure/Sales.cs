using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using PosBus.Contracts;

namespace PosBus.Outbox.Tests.Infrastructure;

/// <summary>Makes a sale (1 row + 3 lines) and publishes its SaleCompleted + 3 InventoryAdjusted the way POS code does.</summary>
public static class Sales
{
    public static Sale New()
    {
        var id = Guid.NewGuid();
        return new Sale
        {
            Id = id,
            MessageId = Guid.NewGuid(),
            TotalMinor = 1234,
            Lines = [.. Enumerable.Range(1, 3).Select(i => new SaleLineRow { SaleId = id, Sku = $"SKU-{i}", Quantity = i })],
        };
    }

    public static async Task PublishAsync(IPublishEndpoint publish, Sale sale, string terminalId = "L1")
    {
        var now = DateTimeOffset.UtcNow;
        await publish.Publish(new SaleCompleted
        {
            MessageId = sale.MessageId,
            TerminalId = terminalId,
            OccurredAt = now,
            SaleId = sale.Id,
            ReceiptNumber = $"R-{sale.Id:N}"[..12],
            Currency = "EUR",
            CashierId = "c1",
            Lines = [.. sale.Lines.Select(l => new SaleLine
            {
                LineNo = l.Quantity, Sku = l.Sku, Description = l.Sku, Quantity = l.Quantity, UnitPriceMinor = 100, TaxMinor = 0, LineTotalMinor = 100L * l.Quantity,
            })],
            Payments = [new SalePayment { Tender = "cash", AmountMinor = sale.TotalMinor }],
            SubtotalMinor = sale.TotalMinor,
            TaxMinor = 0,
            TotalMinor = sale.TotalMinor,
        });
        foreach (var line in sale.Lines)
        {
            await publish.Publish(new InventoryAdjusted
            {
                MessageId = Guid.NewGuid(), TerminalId = terminalId, OccurredAt = now, Sku = line.Sku, Delta = -line.Quantity, Reason = InventoryReasons.Sale, SaleId = sale.Id,
            });
        }
    }

    /// <summary>One sale the way a POS app does it: fresh scope, add, publish, save.</summary>
    public static Task<Sale> SaveAsync(IServiceProvider services) => SaveAsync(services, New());

    /// <summary>Saves <paramref name="sale"/> (from <see cref="New"/>) the way a POS app does it.</summary>
    public static async Task<Sale> SaveAsync(IServiceProvider services, Sale sale)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
        db.Sales.Add(sale);
        await PublishAsync(scope.ServiceProvider.GetRequiredService<IPublishEndpoint>(), sale);
        await db.SaveChangesAsync();
        return sale;
    }
}
