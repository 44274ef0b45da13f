using Microsoft.EntityFrameworkCore;
using PosBus.Outbox.Model;

namespace PosBus.Benchmarks.Outbox;

/// <summary>The benchmark's own small POS model: a sale and its lines.</summary>
public sealed class BenchDbContext(DbContextOptions<BenchDbContext> options) : DbContext(options)
{
    public DbSet<BenchSale> Sales => Set<BenchSale>();
    public DbSet<BenchSaleLine> SaleLines => Set<BenchSaleLine>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<BenchSale>().HasMany(s => s.Lines).WithOne().HasForeignKey(l => l.SaleId);
        modelBuilder.AddPosBusLedger();
    }
}
