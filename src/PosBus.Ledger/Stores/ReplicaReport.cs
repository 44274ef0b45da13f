namespace PosBus.Ledger.Stores;

/// <summary>Copies this lane holds from one origin lane.</summary>
public sealed record ReplicaReport(string Origin, long Count, long HeldThrough, DateTimeOffset? LastReceivedAt);
