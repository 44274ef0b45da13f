using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace PosBus.Sample.Till.Domain;

/// <summary>Creates the demo POS tables once and seeds the catalogue; safe to run at every start.</summary>
public static class PosSchema
{
    public static async Task EnsureCreatedAsync(PosDbContext db, CancellationToken cancellationToken)
    {
        // EnsureCreated does nothing once any table exists (the ledger's, say): ask for our own table instead.
        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (!await creator.ExistsAsync(cancellationToken))
        {
            await creator.CreateAsync(cancellationToken);
        }

        if (!await TableExistsAsync(db, "products", cancellationToken))
        {
            try
            {
                await creator.CreateTablesAsync(cancellationToken);
            }
            catch (SqliteException e) when (e.Message.Contains("already exists", StringComparison.Ordinal))
            {
                // Another process of this lane (run and simulate side by side) created them first.
            }
        }

        if (!await db.Products.AnyAsync(cancellationToken))
        {
            db.Products.AddRange(Catalog.Products.Select(p => new Product { Sku = p.Sku, Name = p.Name, PriceMinor = p.PriceMinor, TaxRateBasisPoints = p.TaxRateBasisPoints }));
            db.StockLevels.AddRange(Catalog.Products.Select(p => new StockLevel { Sku = p.Sku, Quantity = Catalog.InitialStock }));
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Seeded concurrently by the other process of this lane: the same catalogue, so nothing is lost.
                db.ChangeTracker.Clear();
                if (!await db.Products.AsNoTracking().AnyAsync(cancellationToken))
                {
                    throw;
                }
            }
        }
    }

    static async Task<bool> TableExistsAsync(PosDbContext db, string table, CancellationToken cancellationToken)
    {
        var count = await db.Database
            .SqlQuery<int>($"SELECT COUNT(*) AS \"Value\" FROM sqlite_master WHERE type = 'table' AND name = {table}")
            .SingleAsync(cancellationToken);
        return count > 0;
    }
}
