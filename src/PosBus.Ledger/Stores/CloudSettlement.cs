namespace PosBus.Ledger.Stores;

/// <summary>
/// How far this lane's own rows are settled with the cloud, as its heartbeat tells the peers holding copies of them.
/// Every own row up to <see cref="CloudThrough"/> is <c>cloud_ack</c>; every row up to <see cref="SettledThrough"/> is
/// <c>cloud_ack</c> except <see cref="DeadLetters"/>, which wait for an operator here and must stay with every copy.
/// </summary>
/// <param name="CloudThrough">Every own row up to this sequence is in the cloud.</param>
/// <param name="SettledThrough">Every own row up to this sequence is in the cloud or a dead letter (at least <see cref="CloudThrough"/>).</param>
/// <param name="DeadLetters">The own dead letters up to <see cref="SettledThrough"/>, by rising sequence.</param>
public sealed record CloudSettlement(long CloudThrough, long SettledThrough, IReadOnlyList<OriginDeadLetter> DeadLetters)
{
    /// <summary>Whether <paramref name="other"/> says something else to a peer (the reasons alone do not count).</summary>
    public bool DiffersFrom(CloudSettlement? other) =>
        other is null || other.SettledThrough != SettledThrough ||
        !other.DeadLetters.Select(d => d.Sequence).SequenceEqual(DeadLetters.Select(d => d.Sequence));
}
