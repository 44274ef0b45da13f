using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PosBus.Contracts;
using PosBus.Ledger.Lane;

namespace PosBus.Sample.Till.Domain;

/// <summary>
/// Completes a sale the way a real POS app would with PosBus: domain rows and the messages describing
/// them are saved by ONE <c>SaveChangesAsync</c>, so either both exist or neither does.
/// </summary>
public sealed class CheckoutService(PosDbContext db, IPublishEndpoint publish, IOptions<LaneOptions> lane, TimeProvider clock)
{
    readonly string _terminalId = lane.Value.TerminalId;

    public async Task<Sale> CompleteSaleAsync(Cart cart, CancellationToken cancellationToken = default)
    {
        if (cart.Items.Count == 0)
        {
            throw new ArgumentException("A sale needs at least one item.", nameof(cart));
        }

        // Reads and writes in ONE write transaction (SQLite's BEGIN IMMEDIATE takes the write lock first): another till
        // process on this file cannot read the same stock level or customer in between. Reading before SaveChanges
        // alone lost stock decrements and, for a customer new to both tills, failed one sale on customers' primary key.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var skus = cart.Items.Select(i => i.Sku).Distinct().ToList();
        var products = await db.Products.Where(p => skus.Contains(p.Sku)).ToDictionaryAsync(p => p.Sku, cancellationToken);
        var stock = await db.StockLevels.Where(s => skus.Contains(s.Sku)).ToDictionaryAsync(s => s.Sku, cancellationToken);

        var sale = new Sale
        {
            Id = NewId.NextGuid(),
            // Unique per lane (the table says so): millisecond time plus 6 random digits. With whole seconds, a lane
            // ringing up 150 sales/s drew the same suffix twice within a second often enough to fail a sale (seen in CI).
            ReceiptNumber = $"{_terminalId}-{now:yyyyMMdd-HHmmssfff}-{Random.Shared.Next(0, 1_000_000):D6}",
            TerminalId = _terminalId,
            CashierId = cart.CashierId,
            CustomerId = cart.Customer?.Id,
            Currency = Catalog.Currency,
            CompletedAtUtc = now.UtcDateTime,
        };

        var lineNo = 0;
        foreach (var item in cart.Items)
        {
            var product = products.GetValueOrDefault(item.Sku) ?? throw new InvalidOperationException($"Unknown SKU {item.Sku}.");
            var lineTotal = product.PriceMinor * item.Quantity;
            sale.Lines.Add(new SaleLineItem
            {
                SaleId = sale.Id,
                LineNo = ++lineNo,
                Sku = product.Sku,
                Description = product.Name,
                Quantity = item.Quantity,
                UnitPriceMinor = product.PriceMinor,
                TaxMinor = (lineTotal * product.TaxRateBasisPoints + 5_000) / 10_000,
                LineTotalMinor = lineTotal,
            });
            if (stock.TryGetValue(item.Sku, out var level))
            {
                level.Quantity -= item.Quantity;
            }
        }

        sale.SubtotalMinor = sale.Lines.Sum(l => l.LineTotalMinor);
        sale.TaxMinor = sale.Lines.Sum(l => l.TaxMinor);
        sale.TotalMinor = sale.SubtotalMinor + sale.TaxMinor;
        sale.Tenders.Add(new SaleTender
        {
            SaleId = sale.Id,
            TenderNo = 1,
            Tender = cart.Tender,
            AmountMinor = sale.TotalMinor,
            Reference = cart.Tender == "cash" ? null : $"AUTH{Random.Shared.Next(100_000, 999_999)}",
        });
        db.Sales.Add(sale);

        if (cart.Customer is { } customer)
        {
            await UpsertCustomerAsync(customer, sale, now, cancellationToken);
        }

        await publish.Publish(ToMessage(sale, now), cancellationToken);
        foreach (var line in sale.Lines)
        {
            await publish.Publish(new InventoryAdjusted
            {
                MessageId = NewId.NextGuid(),
                TerminalId = _terminalId,
                OccurredAt = now,
                Sku = line.Sku,
                Delta = -line.Quantity,
                Reason = InventoryReasons.Sale,
                SaleId = sale.Id,
            }, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return sale;
    }

    async Task UpsertCustomerAsync(CustomerDetails details, Sale sale, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var customer = await db.Customers.FindAsync([details.Id], cancellationToken);
        if (customer is null)
        {
            customer = new Customer { Id = details.Id, Name = details.Name };
            db.Customers.Add(customer);
        }

        customer.Name = details.Name;
        customer.Email = details.Email;
        customer.Phone = details.Phone;
        customer.LoyaltyPoints += sale.TotalMinor / 100;
        customer.UpdatedAtUtc = now.UtcDateTime;
        await publish.Publish(new CustomerUpserted
        {
            MessageId = NewId.NextGuid(),
            TerminalId = _terminalId,
            OccurredAt = now,
            CustomerId = customer.Id,
            Name = customer.Name,
            Email = customer.Email,
            Phone = customer.Phone,
            LoyaltyPoints = customer.LoyaltyPoints,
        }, cancellationToken);
    }

    SaleCompleted ToMessage(Sale sale, DateTimeOffset now) => new()
    {
        MessageId = NewId.NextGuid(),
        TerminalId = _terminalId,
        OccurredAt = now,
        SaleId = sale.Id,
        ReceiptNumber = sale.ReceiptNumber,
        Currency = sale.Currency,
        CashierId = sale.CashierId,
        CustomerId = sale.CustomerId,
        SubtotalMinor = sale.SubtotalMinor,
        TaxMinor = sale.TaxMinor,
        TotalMinor = sale.TotalMinor,
        Lines = sale.Lines.Select(l => new SaleLine
        {
            LineNo = l.LineNo,
            Sku = l.Sku,
            Description = l.Description,
            Quantity = l.Quantity,
            UnitPriceMinor = l.UnitPriceMinor,
            TaxMinor = l.TaxMinor,
            LineTotalMinor = l.LineTotalMinor,
        }).ToList(),
        Payments = sale.Tenders.Select(t => new SalePayment { Tender = t.Tender, AmountMinor = t.AmountMinor, Reference = t.Reference }).ToList(),
    };
}
