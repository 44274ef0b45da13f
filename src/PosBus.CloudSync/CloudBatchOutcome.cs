namespace PosBus.CloudSync;

/// <summary>What happened to one batch (and its split parts); folded into a <see cref="CloudSyncResult"/>.</summary>
public sealed class CloudBatchOutcome
{
    public int Requests { get; set; }
    public int Inserted { get; set; }
    public int Duplicates { get; set; }
    public int Invalid { get; set; }
    public int TransientFailures { get; set; }
    public int RepeatableFailures { get; set; }

    /// <summary>The first refusal by the cloud's database this batch met (the pass goes on with the other batches).</summary>
    public string? RepeatableError { get; set; }

    /// <summary>Set when the cloud was unreachable or failing: the pass stops starting batches.</summary>
    public string? TransientError { get; set; }

    /// <summary>Set when the function answered 413 (the batch, or a part of it, was too large for it).</summary>
    public bool TooLarge { get; set; }

    /// <summary>Time of the batch's request(s) to the function, without the ledger's write; what <see cref="CloudUploadWindow"/> compares with its target.</summary>
    public TimeSpan AnsweredIn { get; set; }

    /// <summary>Set when the cloud refused the lane itself: the pass stops and nothing is retried until the next one.</summary>
    public string? ConfigurationError { get; set; }
}
