using Microsoft.EntityFrameworkCore;
using PosBus.Outbox.Model;

namespace PosBus.EndToEnd.Tests.ConsumerApp;

/// <summary>The app's own context on the lane database: its one table and PosBus's ledger.</summary>
public sealed class StockAppDbContext(DbContextOptions<StockAppDbContext> options) : DbContext(options)
{
    public DbSet<StockMovementSeen> Movements => Set<StockMovementSeen>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<StockMovementSeen>().ToTable("store_stock_movements").HasKey(m => m.Id);
        modelBuilder.AddPosBusLedger();
    }
}
