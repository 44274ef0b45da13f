using Microsoft.EntityFrameworkCore;
using PosBus.Outbox.Model;

namespace PosBus.Sample.Till.Domain;

/// <summary>
/// The demo POS app's own context, on the lane's database. It knows nothing about sync except the
/// one model-builder call that maps PosBus's ledger tables.
/// </summary>
public sealed class PosDbContext(DbContextOptions<PosDbContext> options) : DbContext(options)
{
    public DbSet<Product> Products => Set<Product>();
    public DbSet<StockLevel> StockLevels => Set<StockLevel>();
    public DbSet<Sale> Sales => Set<Sale>();
    public DbSet<Customer> Customers => Set<Customer>();
    public DbSet<StoreStockMovement> StoreStockMovements => Set<StoreStockMovement>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Product>(e =>
        {
            e.ToTable("products");
            e.HasKey(p => p.Sku);
        });
        modelBuilder.Entity<StockLevel>(e =>
        {
            e.ToTable("stock_levels");
            e.HasKey(s => s.Sku);
        });
        modelBuilder.Entity<Sale>(e =>
        {
            e.ToTable("sales");
            e.HasKey(s => s.Id);
            e.HasIndex(s => s.ReceiptNumber).IsUnique();
            e.HasIndex(s => s.CompletedAtUtc);
            e.HasMany(s => s.Lines).WithOne().HasForeignKey(l => l.SaleId);
            e.HasMany(s => s.Tenders).WithOne().HasForeignKey(t => t.SaleId);
        });
        modelBuilder.Entity<SaleLineItem>(e =>
        {
            e.ToTable("sale_lines");
            e.HasKey(l => new { l.SaleId, l.LineNo });
        });
        modelBuilder.Entity<SaleTender>(e =>
        {
            e.ToTable("sale_tenders");
            e.HasKey(t => new { t.SaleId, t.TenderNo });
        });
        modelBuilder.Entity<Customer>(e =>
        {
            e.ToTable("customers");
            e.HasKey(c => c.Id);
        });
        modelBuilder.Entity<StoreStockMovement>(e =>
        {
            e.ToTable("store_stock_movements");
            e.HasKey(m => m.MessageId);
            e.HasIndex(m => m.Sku);
        });

        modelBuilder.AddPosBusLedger();
    }
}
