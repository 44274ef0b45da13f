using Microsoft.EntityFrameworkCore;
using PosBus.Outbox.Model;

namespace PosBus.Reliability.Tests.Support.Till;

/// <summary>The test till's own context on the lane database, with PosBus's one model-builder call.</summary>
public sealed class TillDbContext(DbContextOptions<TillDbContext> options) : DbContext(options)
{
    public DbSet<TillSale> Sales => Set<TillSale>();
    public DbSet<TillStockLevel> StockLevels => Set<TillStockLevel>();
    public DbSet<TillCustomer> Customers => Set<TillCustomer>();
    public DbSet<TillStockMovement> StoreStockMovements => Set<TillStockMovement>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<TillSale>().ToTable("sales").HasKey(s => s.Id);
        modelBuilder.Entity<TillStockLevel>().ToTable("stock_levels").HasKey(s => s.Sku);
        modelBuilder.Entity<TillCustomer>().ToTable("customers").HasKey(c => c.Id);
        modelBuilder.Entity<TillStockMovement>().ToTable("store_stock_movements").HasKey(m => m.MessageId);
        modelBuilder.AddPosBusLedger();
    }
}
