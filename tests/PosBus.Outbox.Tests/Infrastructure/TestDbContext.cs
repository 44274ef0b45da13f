using Microsoft.EntityFrameworkCore;
using PosBus.Outbox.Model;

namespace PosBus.Outbox.Tests.Infrastructure;

public sealed class TestDbContext(DbContextOptions<TestDbContext> options) : DbContext(options)
{
    public DbSet<Sale> Sales => Set<Sale>();
    public DbSet<SaleLineRow> SaleLines => Set<SaleLineRow>();
    public DbSet<SaleProjection> Projections => Set<SaleProjection>();
    public DbSet<StockMovementRow> StockMovements => Set<StockMovementRow>();
    public IQueryable<OutboxRecord> Outbox => Set<OutboxRecord>();
    public IQueryable<InboxRecord> Inbox => Set<InboxRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Sale>().HasMany(s => s.Lines).WithOne().HasForeignKey(l => l.SaleId);
        modelBuilder.AddPosBusLedger();
    }
}
