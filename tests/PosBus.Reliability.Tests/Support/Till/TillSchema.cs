using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using PosBus.Terminal.Simulation;

namespace PosBus.Reliability.Tests.Support.Till;

/// <summary>Creates the test till's tables beside the ledger and stocks every catalogue item; safe for two tills at once.</summary>
public static class TillSchema
{
    public const long InitialStock = 10_000;

    public static async Task EnsureCreatedAsync(TillDbContext db)
    {
        try
        {
            // EnsureCreated would do nothing once the ledger's tables exist: create the till's own instead.
            await db.GetService<IRelationalDatabaseCreator>().CreateTablesAsync();
        }
        catch (SqliteException e) when (e.Message.Contains("already exists", StringComparison.Ordinal))
        {
            // The other till on this file created them first.
        }

        if (!await db.StockLevels.AnyAsync())
        {
            db.StockLevels.AddRange(Catalog.Products.Select(p => new TillStockLevel { Sku = p.Sku, Quantity = InitialStock }));
            try
            {
                await db.SaveChangesAsync();
            }
            catch (DbUpdateException)
            {
                db.ChangeTracker.Clear(); // stocked by the other till at the same moment: the same rows.
            }
        }
    }
}
