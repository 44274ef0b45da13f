namespace PosBus.Ledger;

/// <summary>How far one peer has durably acknowledged this lane's outbox.</summary>
public sealed record PeerAckMark(string PeerId, long AckedThrough, DateTimeOffset AckedAt);
