namespace PosBus.Outbox.Ledger;

/// <summary>The seed's message states, exactly as stored in <c>outbox.status</c>.</summary>
public static class LedgerStatus
{
    /// <summary>Written to the lane's outbox, no peer holds a copy yet.</summary>
    public const string Pending = "pending";

    /// <summary>At least one peer durably holds a copy.</summary>
    public const string PeerAck = "peer_ack";

    /// <summary>The cloud holds it (inserted or already there).</summary>
    public const string CloudAck = "cloud_ack";

    /// <summary>The cloud refused it as invalid; kept with the reason for an operator.</summary>
    public const string DeadLetter = "dead_letter";

    public static readonly IReadOnlyList<string> All = [Pending, PeerAck, CloudAck, DeadLetter];
}
