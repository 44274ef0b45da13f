namespace PosBus.PeerSync.Status;

/// <summary>One peer in <c>status --json</c>: how far it holds this lane's rows, and the live link when known.</summary>
public sealed record PeerReport
{
    /// <summary>The peer's terminal id (null for a configured URL never reached).</summary>
    public string? Id { get; init; }

    /// <summary>The URL this lane dials (null when known from the database only).</summary>
    public string? Url { get; init; }

    /// <summary>Outbound link up; null when read from the database alone (no running lane to ask).</summary>
    public bool? Connected { get; init; }

    public DateTimeOffset? LastAckAt { get; init; }

    /// <summary>Highest own sequence the peer acknowledged.</summary>
    public long AckedThrough { get; init; }

    /// <summary>Own rows the peer does not hold yet.</summary>
    public long LagMessages { get; init; }

    /// <summary>Age of the oldest own row the peer does not hold yet (0 when none).</summary>
    public double LagSeconds { get; init; }

    /// <summary>Peer clock minus ours at the last handshake (ms); null when unknown.</summary>
    public double? ClockSkewMs { get; init; }

    /// <summary>The skew is over <c>PeerSync:MaxClockSkewMs</c>.</summary>
    public bool ClockSkewExceeded { get; init; }
}
