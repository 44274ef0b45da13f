namespace PosBus.Ledger.Stores;

/// <summary>What one retention run deleted, per table.</summary>
public sealed record RetentionCounts(long Outbox, long Replica, long Inbox);
