namespace PosBus.Operations.Retention;

/// <summary>What one retention run removed; kept in <c>lane_state</c> for <c>status</c> and the page.</summary>
public sealed record RetentionResult
{
    public required DateTimeOffset RanAt { get; init; }
    /// <summary>Own <c>cloud_ack</c> rows deleted.</summary>
    public long Outbox { get; init; }
    /// <summary>Copies of other lanes' messages deleted (the cloud holds them).</summary>
    public long Replica { get; init; }
    /// <summary>Inbox (consumer dedup) entries deleted.</summary>
    public long Inbox { get; init; }
}
