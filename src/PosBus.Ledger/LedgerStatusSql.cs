namespace PosBus.Ledger;

/// <summary>The <see cref="LedgerStatus"/> names as quoted SQL literals, for the constant statements of the stores.</summary>
internal static class LedgerStatusSql
{
    public const string Pending = "'" + LedgerStatus.Pending + "'";
    public const string PeerAck = "'" + LedgerStatus.PeerAck + "'";
    public const string CloudAck = "'" + LedgerStatus.CloudAck + "'";
    public const string DeadLetter = "'" + LedgerStatus.DeadLetter + "'";
    public const string Held = "'" + LedgerStatus.Held + "'";

    /// <summary>An own message the cloud does not hold yet, for <c>status IN (…)</c>.</summary>
    public const string NotInCloud = Pending + ", " + PeerAck;
}
