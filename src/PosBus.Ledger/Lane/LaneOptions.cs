namespace PosBus.Ledger.Lane;

/// <summary>Who this lane is. Every stage stamps it on what it writes or sends.</summary>
public sealed class LaneOptions
{
    public const string SectionName = "Lane";

    /// <summary>Unique terminal id within the store (seed: <c>TERMINAL_ID</c>), e.g. L1.</summary>
    public string TerminalId { get; set; } = "L1";

    /// <summary>The store this lane belongs to (<c>STORE_ID</c>); peers of another store are refused.</summary>
    public string StoreId { get; set; } = "store-1";
}
