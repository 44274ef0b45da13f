namespace PosBus.Reliability.Tests.Support.Till;

/// <summary>A loyalty customer (table <c>customers</c>): a point per whole currency unit of every sale.</summary>
public sealed class TillCustomer
{
    public required string Id { get; set; }
    public long LoyaltyPoints { get; set; }
}
