namespace PosBus.PeerSync.Protocol;

/// <summary>WebSocket close codes the peer protocol uses to refuse a connection (documented in PROTOCOL.md).</summary>
public static class PeerCloseCodes
{
    /// <summary>A binary frame: the protocol is JSON text only (RFC 6455 "unsupported data").</summary>
    public const int BinaryFrame = 1003;

    /// <summary>A frame larger than <c>PeerSync:MaxFrameBytes</c> (RFC 6455 "message too big").</summary>
    public const int FrameTooLarge = 1009;

    /// <summary>Not JSON, or a frame missing a field its type requires.</summary>
    public const int MalformedFrame = 4000;

    /// <summary>A <c>type</c> this protocol version does not know.</summary>
    public const int UnknownFrameType = 4001;

    /// <summary>A known frame at the wrong moment (second hello, ack to a listener, sequences going back, ack for a batch not sent).</summary>
    public const int OutOfOrder = 4002;

    /// <summary>A batch before a successful hello.</summary>
    public const int HelloRequired = 4003;

    /// <summary>The hello did not arrive within <c>PeerSync:HelloTimeoutMs</c>.</summary>
    public const int HelloTimeout = 4004;

    /// <summary>Nothing received within <c>PeerSync:DeadLinkTimeoutMs</c>.</summary>
    public const int DeadLink = 4005;

    /// <summary>The peer speaks another protocol version.</summary>
    public const int UnsupportedVersion = 4010;

    /// <summary>The peer belongs to another store.</summary>
    public const int UnknownStore = 4011;

    /// <summary>The proof of the store secret does not match (wrong secret, or a replayed hello).</summary>
    public const int BadProof = 4012;

    /// <summary>The terminal id is this lane's own, or another live connection already claims it.</summary>
    public const int DuplicateTerminal = 4013;

    /// <summary>A batch row claims an origin other than the authenticated terminal.</summary>
    public const int ForeignOrigin = 4014;
}
