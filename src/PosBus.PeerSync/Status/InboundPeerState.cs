namespace PosBus.PeerSync.Status;

/// <summary>Live facts about one authenticated inbound connection (a peer pushing its rows to this lane).</summary>
public sealed class InboundPeerState(string terminalId, string remote, DateTimeOffset connectedAt, double clockSkewMs)
{
    public string TerminalId { get; } = terminalId;

    public string Remote { get; } = remote;

    public DateTimeOffset ConnectedAt { get; } = connectedAt;

    public double ClockSkewMs { get; } = clockSkewMs;

    public DateTimeOffset? LastBatchAt { get; set; }
}
