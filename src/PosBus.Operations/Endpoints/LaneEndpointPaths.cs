namespace PosBus.Operations.Endpoints;

/// <summary>Paths of the lane's HTTP surface that the CLI calls; ops scripts may call them too, so they stay stable.</summary>
public static class LaneEndpointPaths
{
    public const string Health = "/health";
    public const string Status = "/status";
    public const string SyncNow = "/sync-now";
}
