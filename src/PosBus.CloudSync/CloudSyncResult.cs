namespace PosBus.CloudSync;

/// <summary>What one pass did; returned by <see cref="CloudSyncNow"/> and stored as <see cref="CloudSyncStateKeys.LastResult"/>.</summary>
public sealed record CloudSyncResult
{
    /// <summary>A <see cref="CloudSyncOutcome"/> value.</summary>
    public required string Outcome { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset FinishedAt { get; init; }
    /// <summary>Requests sent (a split batch counts each part).</summary>
    public int Requests { get; init; }
    /// <summary>Messages the cloud newly stored.</summary>
    public int Uploaded { get; init; }
    /// <summary>Messages the cloud already held (acknowledged all the same).</summary>
    public int Duplicates { get; init; }
    /// <summary>Messages refused as invalid and dead-lettered.</summary>
    public int Invalid { get; init; }
    /// <summary>Messages whose upload failed transiently; they back off and stay eligible.</summary>
    public int TransientFailures { get; init; }
    /// <summary>Messages the cloud's database refused on their own, not yet <see cref="CloudSyncOptions.PoisonAfterFailures"/> times; they back off.</summary>
    public int RepeatableFailures { get; init; }
    /// <summary>Own messages still waiting for the cloud after the pass (pending or peer_ack).</summary>
    public long Remaining { get; init; }
    /// <summary>Of <see cref="Remaining"/>, those waiting out a backoff.</summary>
    public long BackingOff { get; init; }
    /// <summary>The failure, without secrets, when the outcome is not ok; or the first refusal by the cloud's database in an ok pass.</summary>
    public string? Error { get; init; }
}
