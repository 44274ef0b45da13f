namespace PosBus.CloudSync.Cli;

/// <summary>
/// The <c>sync-now</c> verb's work: one pass in this process, returning what it did. A running lane can expose the
/// same call on its status endpoint; passes never overlap within a process, and across processes the cloud's
/// idempotency makes an overlap cost only duplicates.
/// </summary>
public sealed class CloudSyncNow(CloudSyncPass pass)
{
    public Task<CloudSyncResult> RunAsync(CancellationToken cancellationToken = default) => pass.RunAsync(cancellationToken);
}
