namespace PosBus.Ledger.Stores;

/// <summary>Who holds the local-delivery lease of a lane database, and until when (stored in <c>lane_state</c>).</summary>
/// <param name="Owner">A random id of the holding process, new at every start.</param>
/// <param name="Process">For people reading logs and status: process name, id and machine.</param>
/// <param name="ExpiresAt">Unless renewed by then, another process takes delivery over at this time.</param>
public sealed record DeliveryLeaseHolder(string Owner, string Process, DateTimeOffset ExpiresAt);
