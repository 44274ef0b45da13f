using Microsoft.EntityFrameworkCore;
using PosBus.Outbox.Model;

namespace PosBus.Testing.Tests.App;

/// <summary>A POS app's own context, as small as one can be: the movements its consumer applies, plus the ledger mapping.</summary>
public sealed class KitTillDbContext(DbContextOptions<KitTillDbContext> options) : DbContext(options)
{
    public DbSet<AppliedMovement> Movements => Set<AppliedMovement>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<AppliedMovement>(e =>
        {
            e.ToTable("applied_movements");
            e.HasKey(m => m.MessageId);
        });
        modelBuilder.AddPosBusLedger();
    }
}

/// <summary>A stock movement the app applied; keyed by message id so a second apply would fail loudly.</summary>
public sealed class AppliedMovement
{
    public Guid MessageId { get; set; }

    public required string Sku { get; set; }

    public int Delta { get; set; }
}
