using PosBus.Contracts;
using PosBus.Reliability.Tests.Support;
using PosBus.Reliability.Tests.Support.Till;
using PosBus.Terminal.Simulation;

namespace PosBus.Reliability.Tests;

/// <summary>
/// Regression (found by the contention test): two POS writers on one lane database read stock levels and customers
/// before their save, outside the write lock, so decrements were lost and a customer new to both failed one sale on
/// the primary key. Two hosts here (a test till on PosBus's public API), each with its own connections, ring up the same
/// items for the same new customer at the same moment, round after round.
/// </summary>
public sealed class When_two_tills_sell_on_one_database : IAsyncDisposable
{
    const int Rounds = 60;
    const int QuantityPerSale = 2;
    readonly string _directory = Path.Combine(Path.GetTempPath(), "posbus-two-tills", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Every_sale_commits_and_stock_and_loyalty_points_add_up()
    {
        Directory.CreateDirectory(_directory);
        await using var first = await InProcessPos.StartAsync("L1", _directory);
        await using var second = await InProcessPos.StartAsync("L1", _directory);
        var product = Catalog.Products[0];
        for (var round = 0; round < Rounds; round++)
        {
            var customerId = $"C-race-{round}";
            // Two threads released together: SQLite's "async" calls complete synchronously, so without threads of their
            // own the two sales would simply run one after the other.
            using var start = new Barrier(2);
            await Task.WhenAll(
                Task.Run(() => { start.SignalAndWait(); return first.SellAsync(Sale(product, customerId)); }),
                Task.Run(() => { start.SignalAndWait(); return second.SellAsync(Sale(product, customerId)); }));
        }

        var database = Path.Combine(_directory, "posbus.db");
        Assert.Equal(2L * Rounds, await LaneDatabaseFile.ScalarAsync(database, "SELECT COUNT(*) FROM sales"));
        Assert.Equal(TillSchema.InitialStock - 2L * Rounds * QuantityPerSale,
            await LaneDatabaseFile.ScalarAsync(database, $"SELECT Quantity FROM stock_levels WHERE Sku = '{product.Sku}'"));
        Assert.Equal(Rounds, await LaneDatabaseFile.ScalarAsync(database, "SELECT COUNT(*) FROM customers WHERE Id LIKE 'C-race-%'"));
        Assert.Equal(await LaneDatabaseFile.ScalarAsync(database, "SELECT COALESCE(SUM(TotalMinor / 100), 0) FROM sales"),
            await LaneDatabaseFile.ScalarAsync(database, "SELECT SUM(LoyaltyPoints) FROM customers WHERE Id LIKE 'C-race-%'"));
    }

    /// <summary>A card sale of <see cref="QuantityPerSale"/> of <paramref name="product"/> to the loyalty customer <paramref name="customerId"/>.</summary>
    static SimulatedSale Sale(CatalogItem product, string customerId)
    {
        var now = DateTimeOffset.UtcNow;
        var saleId = Guid.NewGuid();
        var total = product.PriceMinor * QuantityPerSale;
        var sale = new SaleCompleted
        {
            MessageId = Guid.NewGuid(), TerminalId = "L1", OccurredAt = now, SaleId = saleId, ReceiptNumber = $"L1-{saleId:N}",
            Currency = Catalog.Currency, CashierId = "cashier-1", CustomerId = customerId,
            Lines = [new SaleLine { LineNo = 1, Sku = product.Sku, Description = product.Name, Quantity = QuantityPerSale, UnitPriceMinor = product.PriceMinor, TaxMinor = 0, LineTotalMinor = total }],
            Payments = [new SalePayment { Tender = "card", AmountMinor = total }],
            SubtotalMinor = total, TaxMinor = 0, TotalMinor = total,
        };
        var adjustment = new InventoryAdjusted
        {
            MessageId = Guid.NewGuid(), TerminalId = "L1", OccurredAt = now, Sku = product.Sku, Delta = -QuantityPerSale, Reason = InventoryReasons.Sale, SaleId = saleId,
        };
        var customer = new CustomerUpserted { MessageId = Guid.NewGuid(), TerminalId = "L1", OccurredAt = now, CustomerId = customerId, Name = customerId, LoyaltyPoints = 0 };
        return new SimulatedSale(sale, [adjustment], customer);
    }

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A pooled handle may linger a moment; the temp cleaner takes the rest.
        }

        return ValueTask.CompletedTask;
    }
}
