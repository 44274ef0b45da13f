using Microsoft.EntityFrameworkCore;
using PosBus.Outbox.Model;

namespace PosBus.Terminal.Hosting;

/// <summary>
/// The lane executable's DbContext: the ledger and nothing else. The lane has no POS domain of its own, so <c>run</c> never
/// creates a table in an app's database; <c>simulate</c> publishes through it as an app publishes through its own.
/// </summary>
public sealed class LaneLedgerDbContext(DbContextOptions<LaneLedgerDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddPosBusLedger();
}
