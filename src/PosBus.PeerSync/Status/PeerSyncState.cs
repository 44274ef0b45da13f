using System.Collections.Concurrent;

namespace PosBus.PeerSync.Status;

/// <summary>The running lane's live peer links (singleton). Exists only in the lane process, not in a CLI.</summary>
public sealed class PeerSyncState
{
    readonly ConcurrentDictionary<Uri, PeerLinkState> _links = new();
    readonly ConcurrentDictionary<string, InboundPeerState> _inbound = new(StringComparer.Ordinal);

    public IReadOnlyCollection<PeerLinkState> Links => _links.Values.ToList();

    public IReadOnlyCollection<InboundPeerState> Inbound => _inbound.Values.ToList();

    public PeerLinkState Link(Uri url) => _links.GetOrAdd(url, u => new PeerLinkState(u));

    /// <summary>Claims a terminal id for one inbound connection; false when another live connection holds it.</summary>
    public bool TryClaimInbound(InboundPeerState peer) => _inbound.TryAdd(peer.TerminalId, peer);

    public void ReleaseInbound(InboundPeerState peer) => _inbound.TryRemove(KeyValuePair.Create(peer.TerminalId, peer));
}
