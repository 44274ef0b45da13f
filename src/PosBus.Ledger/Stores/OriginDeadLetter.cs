namespace PosBus.Ledger.Stores;

/// <summary>One of a lane's own dead letters as its peers learn of it: the sequence and the cloud's reason.</summary>
public sealed record OriginDeadLetter(long Sequence, string? Reason);
