namespace PosBus.Contracts;

/// <summary>A customer record was created or changed at a lane; the latest <see cref="IPosMessage.OccurredAt"/> wins.</summary>
[PosTopic(PosTopics.Customer)]
public sealed record CustomerUpserted : IPosMessage
{
    public required Guid MessageId { get; init; }
    public required string TerminalId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }

    public required string CustomerId { get; init; }
    public required string Name { get; init; }
    public string? Email { get; init; }
    public string? Phone { get; init; }
    public required long LoyaltyPoints { get; init; }
}
