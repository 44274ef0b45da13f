namespace PosBus.Ledger;

/// <summary>
/// A message type consumed on the lane's bus that never travels through the ledger (the cloud stage's upload command,
/// say). Registered as a singleton by the stage that consumes it, so that its consumer does not count as a local
/// consumer of ledger messages: a process whose bus has only such consumers runs no local delivery and never takes the
/// delivery lease from a process with real consumers. Here, not in the outbox adapter, because the stages that register
/// one (cloud sync) reach the ledger but not the adapter; it is a plain record, no bus dependency.
/// </summary>
public sealed record BusOnlyMessageType(Type MessageType);
