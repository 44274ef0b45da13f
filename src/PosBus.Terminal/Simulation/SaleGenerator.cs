using MassTransit;
using PosBus.Contracts;

namespace PosBus.Terminal.Simulation;

/// <summary>
/// Makes the messages of checkouts that look like a grocery lane's: 1-6 items from <see cref="Catalog"/>, mostly single
/// quantities, card more often than cash, a loyalty customer on about one sale in five (whose points add up across the
/// run). The same seed makes the same carts; ids, receipt numbers and card references are unique per call.
/// </summary>
public sealed class SaleGenerator(int seed, string terminalId)
{
    static readonly string[] Cashiers = ["C-ANNA", "C-BEN", "C-CHLOE", "C-DAVID"];
    static readonly string[] FirstNames = ["Mia", "Noah", "Emma", "Liam", "Sofia", "Lukas", "Lea", "Jonas"];
    static readonly string[] LastNames = ["Schmidt", "Müller", "Novak", "Rossi", "García", "Jensen", "O'Brien"];

    readonly Random _random = new(seed);
    readonly Dictionary<int, long> _loyaltyPoints = [];

    public SimulatedSale Next(DateTimeOffset now)
    {
        var saleId = NewId.NextGuid();
        var itemCount = _random.Next(1, 7);
        var lines = new List<SaleLine>(itemCount);
        foreach (var product in Catalog.Products.OrderBy(_ => _random.Next()).Take(itemCount))
        {
            var quantity = _random.Next(10) < 8 ? 1 : _random.Next(2, 5);
            var lineTotal = product.PriceMinor * quantity;
            lines.Add(new SaleLine
            {
                LineNo = lines.Count + 1,
                Sku = product.Sku,
                Description = product.Name,
                Quantity = quantity,
                UnitPriceMinor = product.PriceMinor,
                TaxMinor = (lineTotal * product.TaxRateBasisPoints + 5_000) / 10_000,
                LineTotalMinor = lineTotal,
            });
        }

        var tender = _random.Next(10) switch
        {
            < 6 => "card",
            < 9 => "cash",
            _ => "voucher",
        };
        var cashier = Cashiers[_random.Next(Cashiers.Length)];
        var customerNumber = _random.Next(5) == 0 ? _random.Next(1, 500) : (int?)null;
        var subtotal = lines.Sum(l => l.LineTotalMinor);
        var tax = lines.Sum(l => l.TaxMinor);
        var sale = new SaleCompleted
        {
            MessageId = NewId.NextGuid(),
            TerminalId = terminalId,
            OccurredAt = now,
            SaleId = saleId,
            // Unique per lane: millisecond time plus 6 random digits (not from the seed: two runs with one seed must not collide).
            ReceiptNumber = $"{terminalId}-{now:yyyyMMdd-HHmmssfff}-{Random.Shared.Next(0, 1_000_000):D6}",
            Currency = Catalog.Currency,
            CashierId = cashier,
            CustomerId = customerNumber is { } n ? CustomerId(n) : null,
            Lines = lines,
            Payments = [new SalePayment { Tender = tender, AmountMinor = subtotal + tax, Reference = tender == "cash" ? null : $"AUTH{Random.Shared.Next(100_000, 999_999)}" }],
            SubtotalMinor = subtotal,
            TaxMinor = tax,
            TotalMinor = subtotal + tax,
        };
        var adjustments = lines.Select(l => new InventoryAdjusted
        {
            MessageId = NewId.NextGuid(),
            TerminalId = terminalId,
            OccurredAt = now,
            Sku = l.Sku,
            Delta = -l.Quantity,
            Reason = InventoryReasons.Sale,
            SaleId = saleId,
        }).ToList();
        return new SimulatedSale(sale, adjustments, customerNumber is { } number ? Customer(number, sale, now) : null);
    }

    CustomerUpserted Customer(int number, SaleCompleted sale, DateTimeOffset now)
    {
        var points = _loyaltyPoints[number] = _loyaltyPoints.GetValueOrDefault(number) + (sale.TotalMinor / 100);
        var first = FirstNames[number % FirstNames.Length];
        var last = LastNames[number % LastNames.Length];
        return new CustomerUpserted
        {
            MessageId = NewId.NextGuid(),
            TerminalId = terminalId,
            OccurredAt = now,
            CustomerId = CustomerId(number),
            Name = $"{first} {last}",
            Email = $"customer{number}@example.org",
            Phone = $"+49 30 555 {number:D4}",
            LoyaltyPoints = points,
        };
    }

    static string CustomerId(int number) => $"CUST-{number:D5}";
}
