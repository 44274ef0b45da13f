namespace PosBus.Outbox.Tests.Infrastructure;

/// <summary>Written by <see cref="SaleCompletedConsumer"/>: one row per time the consumer really ran.</summary>
public sealed class SaleProjection
{
    public long Id { get; set; }
    public Guid SaleId { get; set; }
}
