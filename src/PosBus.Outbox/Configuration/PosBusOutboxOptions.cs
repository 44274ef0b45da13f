namespace PosBus.Outbox.Configuration;

/// <summary>How the SQLite outbox delivers its rows to the lane's in-process MassTransit bus.</summary>
public sealed class PosBusOutboxOptions
{
    public const string SectionName = "Outbox";

    /// <summary>Longest wait before delivery looks for rows it was not woken for (another process, or before a crash).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Most rows one delivery pass reads from a stream.</summary>
    public int DeliveryBatchSize { get; set; } = 500;

    /// <summary>How long delivery waits after a wake-up so that a burst of commits goes out as one batch.</summary>
    public TimeSpan DeliveryLinger { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>How often delivery progress (the highest sequence up to which every local consumer has completed) is written to <c>delivery_checkpoint</c>.</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How many times a lane-local consumer is run again after it threw for a message, before the message becomes its local dead letter (0: no retry).</summary>
    public int ConsumerRetryLimit { get; set; } = 5;

    /// <summary>Wait before a consumer's first retry; each further retry waits twice as long, up to <see cref="ConsumerRetryMaxInterval"/>.</summary>
    public TimeSpan ConsumerRetryInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest wait between two retries of a consumer.</summary>
    public TimeSpan ConsumerRetryMaxInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether delivery also hands peer copies (table <c>replica</c>) to local consumers.</summary>
    public bool DeliverReplicas { get; set; } = true;

    /// <summary>
    /// Whether delivery skips rows that no consumer, handler or saga configured by <c>ConfigureEndpoints</c> takes (they
    /// still go to peers and the cloud). Turn off when the app wires receive endpoints by hand or connects consumers at runtime.
    /// </summary>
    public bool DeliverOnlyConsumedTypes { get; set; } = true;

    /// <summary>Whether the local delivery service runs in this process (off for CLI verbs that only write).</summary>
    public bool DeliveryEnabled { get; set; } = true;

    /// <summary>
    /// One process per database delivers (the lease holder, renewing every third of this); when it stops renewing (killed,
    /// hung), a process with consumers standing by on the same file takes delivery over once this has passed.
    /// </summary>
    public TimeSpan DeliveryLeaseTime { get; set; } = TimeSpan.FromSeconds(15);
}
