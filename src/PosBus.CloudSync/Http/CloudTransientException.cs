namespace PosBus.CloudSync.Http;

/// <summary>
/// The cloud could not take the batch for now (network, timeout, 429, 5xx): retry later with backoff; never a
/// reason to dead-letter. Its message never holds the service key.
/// </summary>
public sealed class CloudTransientException(string message, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>The server's <c>Retry-After</c>, when it sent one.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
