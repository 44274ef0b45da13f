namespace PosBus.Ledger;

/// <summary>
/// The seed's message states, exactly as stored in <c>outbox.status</c> (and <c>replica.cloud_status</c>, with
/// <see cref="Held"/>). The only place they are spelled: SQL inside this project builds its literals from these
/// (<see cref="LedgerStatusSql"/>), and nothing outside it writes them as literals (an architecture test checks).
/// </summary>
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

    /// <summary>A peer's copy (<c>replica.cloud_status</c>) not yet known to be in the cloud: uploaded only on failover.</summary>
    public const string Held = "held";

    /// <summary>The states of an own message, in the order of its life.</summary>
    public static readonly IReadOnlyList<string> All = [Pending, PeerAck, CloudAck, DeadLetter];
}
