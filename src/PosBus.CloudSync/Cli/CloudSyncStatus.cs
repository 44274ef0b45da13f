namespace PosBus.CloudSync.Cli;

/// <summary>The cloud part of <c>status --json</c>, read from <c>lane_state</c> (works while the lane runs, from another process).</summary>
public sealed record CloudSyncStatus
{
    /// <summary>Whether this configuration runs the cloud stage.</summary>
    public bool Enabled { get; init; }
    /// <summary>Where uploads go (the URL only; the key is never shown).</summary>
    public string? Endpoint { get; init; }
    public DateTimeOffset? LastSyncAt { get; init; }
    /// <summary>A <see cref="CloudSyncOutcome"/> value, or null before the first pass.</summary>
    public string? LastOutcome { get; init; }
    public DateTimeOffset? LastSuccessAt { get; init; }
    public DateTimeOffset? NextRunAt { get; init; }
    public CloudSyncResult? LastResult { get; init; }
    /// <summary>Whether batch size and requests in flight adapt (<see cref="CloudSyncOptions.Adaptive"/>).</summary>
    public bool Adaptive { get; init; }
    /// <summary>Messages per request in use: as the last pass left it, else the configured start.</summary>
    public int BatchSize { get; init; }
    /// <summary>Requests in flight allowed: as the last pass left it, else the configured start.</summary>
    public int InFlight { get; init; }
}
