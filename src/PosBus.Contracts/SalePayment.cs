namespace PosBus.Contracts;

/// <summary>One tender of a sale (cash, card, voucher), in minor units.</summary>
public sealed record SalePayment
{
    public required string Tender { get; init; }
    public required long AmountMinor { get; init; }
    /// <summary>Card authorisation or voucher code; null for cash.</summary>
    public string? Reference { get; init; }
}
