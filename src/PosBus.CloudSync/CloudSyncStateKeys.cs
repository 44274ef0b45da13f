namespace PosBus.CloudSync;

/// <summary>The <c>lane_state</c> keys the cloud stage writes, for <c>status --json</c> in another process.</summary>
public static class CloudSyncStateKeys
{
    /// <summary>When the last pass ended (ISO UTC), whatever its outcome.</summary>
    public const string LastSyncAt = "cloud.lastSyncAt";

    /// <summary>The last pass's <see cref="CloudSyncOutcome"/>.</summary>
    public const string LastOutcome = "cloud.lastOutcome";

    /// <summary>When a pass last reached the cloud and got answers (ISO UTC).</summary>
    public const string LastSuccessAt = "cloud.lastSuccessAt";

    /// <summary>The last pass's <see cref="CloudSyncResult"/> as JSON.</summary>
    public const string LastResult = "cloud.lastResult";

    /// <summary>The batch size the upload window stood at when the last pass ended (<see cref="CloudUploadWindow"/>).</summary>
    public const string BatchSize = "cloud.batchSize";

    /// <summary>The requests in flight the upload window allowed when the last pass ended.</summary>
    public const string InFlight = "cloud.inFlight";

    /// <summary>The scheduler's next fire time (ISO UTC).</summary>
    public const string NextRunAt = "cloud.nextRunAt";
}
