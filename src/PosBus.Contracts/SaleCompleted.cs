namespace PosBus.Contracts;

/// <summary>A sale was paid and closed at a lane. Money is in integer minor units (cents) of <see cref="Currency"/>.</summary>
[PosTopic(PosTopics.Transaction)]
public sealed record SaleCompleted : IPosMessage
{
    public required Guid MessageId { get; init; }
    public required string TerminalId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }

    public required Guid SaleId { get; init; }
    /// <summary>Printed on the receipt; unique per lane.</summary>
    public required string ReceiptNumber { get; init; }
    /// <summary>ISO 4217 code, e.g. EUR.</summary>
    public required string Currency { get; init; }
    public required string CashierId { get; init; }
    public string? CustomerId { get; init; }
    public required IReadOnlyList<SaleLine> Lines { get; init; }
    public required IReadOnlyList<SalePayment> Payments { get; init; }
    /// <summary>Sum of the lines' totals before tax.</summary>
    public required long SubtotalMinor { get; init; }
    public required long TaxMinor { get; init; }
    /// <summary><see cref="SubtotalMinor"/> + <see cref="TaxMinor"/>.</summary>
    public required long TotalMinor { get; init; }
}
