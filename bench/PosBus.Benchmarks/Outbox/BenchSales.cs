using PosBus.Contracts;

namespace PosBus.Benchmarks.Outbox;

/// <summary>The same sale and messages for every variant.</summary>
static class BenchSales
{
    public static BenchSale New()
    {
        var id = Guid.NewGuid();
        return new BenchSale
        {
            Id = id,
            ReceiptNumber = $"R-{id:N}"[..14],
            CashierId = "cashier-1",
            TotalMinor = 600,
            CreatedAt = DateTimeOffset.UtcNow,
            Lines = [.. Enumerable.Range(1, 3).Select(i => new BenchSaleLine { SaleId = id, Sku = $"SKU-{i:000}", Quantity = i, UnitPriceMinor = 100 })],
        };
    }

    public static SaleCompleted Completed(BenchSale sale) => new()
    {
        MessageId = Guid.NewGuid(),
        TerminalId = "L1",
        OccurredAt = sale.CreatedAt,
        SaleId = sale.Id,
        ReceiptNumber = sale.ReceiptNumber,
        Currency = "EUR",
        CashierId = sale.CashierId,
        Lines = [.. sale.Lines.Select(l => new SaleLine
        {
            LineNo = l.Quantity, Sku = l.Sku, Description = l.Sku, Quantity = l.Quantity, UnitPriceMinor = l.UnitPriceMinor, TaxMinor = 0,
            LineTotalMinor = l.UnitPriceMinor * l.Quantity,
        })],
        Payments = [new SalePayment { Tender = "cash", AmountMinor = sale.TotalMinor }],
        SubtotalMinor = sale.TotalMinor,
        TaxMinor = 0,
        TotalMinor = sale.TotalMinor,
    };

    public static IEnumerable<InventoryAdjusted> Adjustments(BenchSale sale) => sale.Lines.Select(l => new InventoryAdjusted
    {
        MessageId = Guid.NewGuid(), TerminalId = "L1", OccurredAt = sale.CreatedAt, Sku = l.Sku, Delta = -l.Quantity, Reason = InventoryReasons.Sale, SaleId = sale.Id,
    });
}
