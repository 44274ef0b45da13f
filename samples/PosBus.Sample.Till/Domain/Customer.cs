namespace PosBus.Sample.Till.Domain;

public sealed class Customer
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public long LoyaltyPoints { get; set; }
    public DateTime UpdatedAtUtc { get; set; }
}
