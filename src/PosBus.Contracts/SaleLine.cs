namespace PosBus.Contracts;

/// <summary>One line of a sale. <see cref="LineTotalMinor"/> is quantity × unit price, before tax.</summary>
public sealed record SaleLine
{
    public required int LineNo { get; init; }
    public required string Sku { get; init; }
    public required string Description { get; init; }
    public required int Quantity { get; init; }
    public required long UnitPriceMinor { get; init; }
    public required long TaxMinor { get; init; }
    public required long LineTotalMinor { get; init; }
}
