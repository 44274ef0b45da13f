namespace PosBus.PeerSync.Protocol;

/// <summary>ping: one of the dialer's own dead letters, by origin sequence, with the cloud's reason (may be left out).</summary>
internal sealed class PeerDeadLetter
{
    public long Sequence { get; set; }

    public string? Reason { get; set; }
}
