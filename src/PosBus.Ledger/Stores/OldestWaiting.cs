namespace PosBus.Ledger.Stores;

/// <summary>Creation times of the oldest own messages still waiting, each null when none waits.</summary>
/// <param name="PendingAt">Oldest message no peer holds yet.</param>
/// <param name="PeerAckAt">Oldest message held by a peer but not by the cloud.</param>
/// <param name="DeadLetterAt">Oldest message the cloud refused.</param>
/// <param name="UnsentSaleAt">Oldest sale (topic <c>transaction</c>) not yet in the cloud.</param>
public sealed record OldestWaiting(DateTimeOffset? PendingAt, DateTimeOffset? PeerAckAt, DateTimeOffset? DeadLetterAt, DateTimeOffset? UnsentSaleAt);
