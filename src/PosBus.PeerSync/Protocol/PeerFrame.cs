using PosBus.Ledger;

namespace PosBus.PeerSync.Protocol;

/// <summary>
/// One protocol message (one WebSocket text message of JSON). A flat envelope: <see cref="Type"/> says which
/// fields are meaningful (see PROTOCOL.md); the others are left out on the wire.
/// </summary>
internal sealed class PeerFrame
{
    public string Type { get; set; } = "";

    /// <summary>challenge, hello, welcome: the sender's terminal id.</summary>
    public string? TerminalId { get; set; }

    public string? StoreId { get; set; }

    public int? ProtocolVersion { get; set; }

    /// <summary>challenge, hello, welcome, ping, pong: the sender's clock when it sent the frame.</summary>
    public DateTimeOffset? Clock { get; set; }

    /// <summary>challenge, hello: a fresh random value the other side must sign.</summary>
    public string? Nonce { get; set; }

    /// <summary>hello, welcome: HMAC-SHA256 over the other side's nonce (see <see cref="PeerProof"/>).</summary>
    public string? Proof { get; set; }

    /// <summary>welcome: the highest origin sequence the listener durably holds from the dialer.</summary>
    public long? HeldThrough { get; set; }

    /// <summary>batch, ack: the batch being sent or acknowledged.</summary>
    public long? BatchId { get; set; }

    /// <summary>batch: the rows, each a <see cref="LedgerRow"/> as the origin's ledger holds it (payload only, no sync state).</summary>
    public List<LedgerRow>? Rows { get; set; }

    /// <summary>ack: every origin sequence up to this one is durably stored.</summary>
    public long? Through { get; set; }

    /// <summary>
    /// ping (optional): every row of the dialer up to this sequence is settled with the cloud by the dialer itself,
    /// so the listener's copies of them need no failover upload.
    /// </summary>
    public long? CloudThrough { get; set; }

    /// <summary>
    /// ping (optional): every row of the dialer up to this sequence is in the cloud or one of <see cref="DeadLetters"/>,
    /// which stay dead letters on every lane holding a copy until the dialer's operator retries or discards them.
    /// </summary>
    public long? SettledThrough { get; set; }

    /// <summary>ping (with <see cref="SettledThrough"/>): the dialer's dead letters up to it, by rising sequence.</summary>
    public List<PeerDeadLetter>? DeadLetters { get; set; }

    /// <summary>A challenge, hello or welcome carrying this lane's identity and clock; the caller adds nonce, proof or heldThrough.</summary>
    public static PeerFrame Introduction(string type, string terminalId, string storeId, DateTimeOffset clock) => new()
    {
        Type = type,
        TerminalId = terminalId,
        StoreId = storeId,
        ProtocolVersion = PeerFrameTypes.ProtocolVersion,
        Clock = clock,
    };

    public static PeerFrame Ping(DateTimeOffset clock, long? cloudThrough = null) => new() { Type = PeerFrameTypes.Ping, Clock = clock, CloudThrough = cloudThrough };

    public static PeerFrame Pong(DateTimeOffset clock) => new() { Type = PeerFrameTypes.Pong, Clock = clock };

    public static PeerFrame Ack(long batchId, long through) => new() { Type = PeerFrameTypes.Ack, BatchId = batchId, Through = through };
}
