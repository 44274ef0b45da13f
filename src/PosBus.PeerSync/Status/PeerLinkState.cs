namespace PosBus.PeerSync.Status;

/// <summary>Live facts about one outbound link (one peer URL), written by its sender, read by status.</summary>
public sealed class PeerLinkState(Uri url)
{
    public Uri Url { get; } = url;

    /// <summary>The peer's terminal id, learned (and authenticated) in the handshake; null until the first one.</summary>
    public string? PeerId { get; set; }

    public bool Connected { get; set; }

    /// <summary>Peer clock minus ours at the last handshake, in ms.</summary>
    public double? ClockSkewMs { get; set; }

    public DateTimeOffset? LastAckAt { get; set; }

    /// <summary>Why the last connection ended or failed.</summary>
    public string? LastError { get; set; }
}
