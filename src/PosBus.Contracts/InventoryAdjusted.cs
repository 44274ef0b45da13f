namespace PosBus.Contracts;

/// <summary>
/// Stock of a SKU changed by a signed delta at a lane. Deltas, never absolute levels: two lanes
/// selling the same SKU offline must both count.
/// </summary>
[PosTopic(PosTopics.Inventory)]
public sealed record InventoryAdjusted : IPosMessage
{
    public required Guid MessageId { get; init; }
    public required string TerminalId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }

    public required string Sku { get; init; }
    /// <summary>Negative for a sale or damage, positive for a return or receipt.</summary>
    public required int Delta { get; init; }
    /// <summary>sale, return, count, damage or receipt.</summary>
    public required string Reason { get; init; }
    /// <summary>The sale that caused it, if any.</summary>
    public Guid? SaleId { get; init; }
}
