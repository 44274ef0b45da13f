using MassTransit;
using Microsoft.EntityFrameworkCore;
using PosBus.Contracts;
using PosBus.Terminal.Simulation;

namespace PosBus.Reliability.Tests.Support.Till;

/// <summary>
/// The test till's checkout on PosBus's public API: its rows (the sale, stock, the customer's points) and the sale's
/// messages in ONE save. Reads and writes inside one write transaction (SQLite's BEGIN IMMEDIATE takes the write lock
/// first), so that another till on the same file cannot read the same stock level or customer in between.
/// </summary>
public sealed class TillCheckout(TillDbContext db, IPublishEndpoint publish)
{
    public async Task CompleteAsync(SimulatedSale checkout, CancellationToken cancellationToken = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var sale = checkout.Sale;
        db.Sales.Add(new TillSale
        {
            Id = sale.SaleId, TerminalId = sale.TerminalId, CustomerId = sale.CustomerId, TotalMinor = sale.TotalMinor, CompletedAtUtc = sale.OccurredAt.UtcDateTime,
        });
        var skus = sale.Lines.Select(l => l.Sku).ToList();
        var stock = await db.StockLevels.Where(s => skus.Contains(s.Sku)).ToDictionaryAsync(s => s.Sku, cancellationToken);
        foreach (var line in sale.Lines)
        {
            stock[line.Sku].Quantity -= line.Quantity;
        }

        await publish.Publish(sale, cancellationToken);
        foreach (var adjustment in checkout.Adjustments)
        {
            await publish.Publish(adjustment, cancellationToken);
        }

        if (checkout.Customer is { } details)
        {
            var customer = await db.Customers.FindAsync([details.CustomerId], cancellationToken);
            if (customer is null)
            {
                customer = new TillCustomer { Id = details.CustomerId };
                db.Customers.Add(customer);
            }

            customer.LoyaltyPoints += sale.TotalMinor / 100;
            await publish.Publish(details with { LoyaltyPoints = customer.LoyaltyPoints }, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
