using PosBus.Ledger.Stores;

namespace PosBus.PeerSync.Status;

/// <summary>The peer part of <c>status --json</c>.</summary>
public sealed record PeerSyncReport(IReadOnlyList<PeerReport> Peers, IReadOnlyList<ReplicaReport> Replicas);
