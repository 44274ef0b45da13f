namespace PosBus.Reliability.Tests.Support.Till;

/// <summary>A sale as the test till keeps it (table <c>sales</c>).</summary>
public sealed class TillSale
{
    public Guid Id { get; set; }
    public required string TerminalId { get; set; }
    public string? CustomerId { get; set; }
    public long TotalMinor { get; set; }
    public DateTime CompletedAtUtc { get; set; }
}
