namespace PosBus.CloudSync.Http;

/// <summary>Per-message statuses the function answers with.</summary>
public static class CloudResultStatus
{
    /// <summary>Newly stored.</summary>
    public const string Inserted = "inserted";

    /// <summary>Already stored (by this lane earlier, or by a peer on failover): acknowledged all the same.</summary>
    public const string Duplicate = "duplicate";

    /// <summary>Refused for its content; retrying cannot help.</summary>
    public const string Invalid = "invalid";
}
