namespace PosBus.PeerSync;

/// <summary>How this lane listens for peers, which peers it dials and the protocol's limits (section <c>PeerSync</c>).</summary>
public sealed class PeerSyncOptions
{
    public const string SectionName = "PeerSync";

    /// <summary>TCP port of the lane's Kestrel listener (seed: <c>TERMINAL_PORT</c>); also serves status later.</summary>
    public int Port { get; set; } = 8123;

    /// <summary>Address the listener binds: an IP address, <c>localhost</c>, or <c>0.0.0.0</c> for all interfaces.</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>Comma-separated <c>ws://</c> or <c>wss://</c> URLs of the peers this lane dials (seed: <c>PEER_TERMINALS</c>); empty = none.</summary>
    public string Peers { get; set; } = "";

    /// <summary>Shared secret of the store (<c>STORE_SECRET</c>, at least 16 characters); proves membership, never sent. Environment only.</summary>
    public string StoreSecret { get; set; } = "";

    /// <summary>Request path of the peer WebSocket endpoint.</summary>
    public string Path { get; set; } = "/posbus/peer";

    /// <summary>Most ledger rows in one batch frame.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>Most batches a sender has in flight before it waits for an ack.</summary>
    public int MaxUnackedBatches { get; set; } = 8;

    /// <summary>How often the dialer sends a ping (ms).</summary>
    public int HeartbeatIntervalMs { get; set; } = 1000;

    /// <summary>A link with no frame received for this long is dead and is dropped (ms); either side checks.</summary>
    public int DeadLinkTimeoutMs { get; set; } = 5000;

    /// <summary>First reconnect delay (ms); doubles per failed attempt, with jitter.</summary>
    public int ReconnectBaseMs { get; set; } = 200;

    /// <summary>Longest reconnect delay (ms).</summary>
    public int ReconnectMaxMs { get; set; } = 10000;

    /// <summary>Time a connecting peer has to complete the hello exchange (ms); slower clients are closed.</summary>
    public int HelloTimeoutMs { get; set; } = 5000;

    /// <summary>Largest accepted frame (one WebSocket message) in bytes; larger ones close the link.</summary>
    public int MaxFrameBytes { get; set; } = 1024 * 1024;

    /// <summary>Clock difference with a peer above which a warning is logged and status flags it (ms).</summary>
    public int MaxClockSkewMs { get; set; } = 2000;

    /// <summary>A sender re-reads the outbox at least this often even without a local commit signal (rows written by another process), ms.</summary>
    public int PollIntervalMs { get; set; } = 1000;

    /// <summary>Optional PKCS#12 certificate file: the listener serves <c>wss://</c> with it, and dialers trust a peer presenting the same certificate.</summary>
    public string? TlsCertificatePath { get; set; }

    /// <summary>Password of <see cref="TlsCertificatePath"/> (environment only).</summary>
    public string? TlsCertificatePassword { get; set; }

    /// <summary>
    /// The parsed <see cref="Peers"/> list (invalid entries are reported by the validator). A URL without a path, as the
    /// seed writes them (<c>ws://192.168.1.11:8080</c>), gets this lane's <see cref="Path"/>: lanes of a store share it.
    /// </summary>
    public IReadOnlyList<Uri> PeerUris() =>
        Peers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(url => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri : null)
            .OfType<Uri>()
            .Select(uri => uri.AbsolutePath == "/" ? new UriBuilder(uri) { Path = Path }.Uri : uri)
            .ToList();
}
