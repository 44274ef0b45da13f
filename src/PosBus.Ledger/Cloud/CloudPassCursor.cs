namespace PosBus.Ledger.Cloud;

/// <summary>
/// Where a pass is in the ledger: it walks transactions (payment-bearing) before everything else, own rows before
/// failover copies, each in sequence order, and never reads a row twice in one pass. Keyset paging keeps every read
/// an index range scan however large the backlog.
/// </summary>
public sealed class CloudPassCursor
{
    /// <summary>The order of the walk: (replica table?, transactions only?).</summary>
    internal static readonly (bool Replica, bool Transactions)[] Phases = [(false, true), (false, false), (true, true), (true, false)];

    internal int Phase { get; set; }

    internal long After { get; set; }

    public bool Finished => Phase >= Phases.Length;

    internal void NextPhase()
    {
        Phase++;
        After = 0;
    }
}
