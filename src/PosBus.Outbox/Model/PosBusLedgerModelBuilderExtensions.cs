using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PosBus.Ledger;
using PosBus.Ledger.Schema;

namespace PosBus.Outbox.Model;

/// <summary>The one model-builder call a POS DbContext makes to query the ledger with LINQ.</summary>
public static class PosBusLedgerModelBuilderExtensions
{
    /// <summary>
    /// Maps <c>outbox</c>, <c>replica</c> and <c>inbox</c> as keyless (so read-only) entity types excluded from
    /// migrations and <c>EnsureCreated</c>: the DDL in <see cref="LedgerSchema"/> stays their only creator.
    /// </summary>
    public static ModelBuilder AddPosBusLedger(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<OutboxRecord>(e =>
        {
            Table(e, LedgerSchema.OutboxTable);
            e.Property(x => x.Sequence).HasColumnName("sequence");
            Id(e.Property(x => x.MessageId), "message_id");
            e.Property(x => x.OriginTerminal).HasColumnName("origin_terminal");
            e.Property(x => x.MessageType).HasColumnName("message_type");
            e.Property(x => x.Topic).HasColumnName("topic");
            e.Property(x => x.Body).HasColumnName("body");
            e.Property(x => x.Headers).HasColumnName("headers");
            Time(e.Property(x => x.CreatedAt), "created_at");
            e.Property(x => x.Status).HasColumnName("status");
            e.Property(x => x.PeerAckedBy).HasColumnName("peer_acked_by");
            Time(e.Property(x => x.PeerAckedAt), "peer_acked_at");
            Time(e.Property(x => x.CloudAckedAt), "cloud_acked_at");
            e.Property(x => x.CloudAttempts).HasColumnName("cloud_attempts");
            e.Property(x => x.LastError).HasColumnName("last_error");
        });
        modelBuilder.Entity<ReplicaRecord>(e =>
        {
            Table(e, LedgerSchema.ReplicaTable);
            e.Property(x => x.LocalSequence).HasColumnName("local_sequence");
            e.Property(x => x.OriginTerminal).HasColumnName("origin_terminal");
            e.Property(x => x.OriginSequence).HasColumnName("origin_sequence");
            Id(e.Property(x => x.MessageId), "message_id");
            e.Property(x => x.MessageType).HasColumnName("message_type");
            e.Property(x => x.Topic).HasColumnName("topic");
            e.Property(x => x.Body).HasColumnName("body");
            Time(e.Property(x => x.CreatedAt), "created_at");
            Time(e.Property(x => x.ReceivedAt), "received_at");
            e.Property(x => x.CloudStatus).HasColumnName("cloud_status");
        });
        modelBuilder.Entity<InboxRecord>(e =>
        {
            Table(e, LedgerSchema.InboxTable);
            Id(e.Property(x => x.MessageId), "message_id");
            e.Property(x => x.Consumer).HasColumnName("consumer");
            Time(e.Property(x => x.ConsumedAt), "consumed_at");
        });
        return modelBuilder;
    }

    static void Table<T>(EntityTypeBuilder<T> entity, string table)
        where T : class
    {
        entity.HasNoKey();
        entity.ToTable(table, t => t.ExcludeFromMigrations());
    }

    // The ledger stores ids as lowercase "D" text and times as fixed-width UTC text: convert the same way so
    // that LINQ comparisons and ordering match what is stored.
    static void Id(PropertyBuilder<Guid> property, string column) =>
        property.HasColumnName(column).HasConversion(id => id.ToString("D"), text => Guid.Parse(text));

    static void Time(PropertyBuilder<DateTimeOffset> property, string column) =>
        property.HasColumnName(column).HasConversion(time => LedgerTime.ToText(time), text => LedgerTime.Parse(text));

    static void Time(PropertyBuilder<DateTimeOffset?> property, string column) =>
        property.HasColumnName(column).HasConversion(
            time => time.HasValue ? LedgerTime.ToText(time.Value) : null,
            text => text == null ? null : LedgerTime.Parse(text));
}
