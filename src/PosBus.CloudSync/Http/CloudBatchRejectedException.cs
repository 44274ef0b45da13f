namespace PosBus.CloudSync.Http;

/// <summary>The function refused the request as a whole: 413 (too large) or 400 (malformed). The caller splits the batch.</summary>
public sealed class CloudBatchRejectedException(int statusCode, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    public bool IsTooLarge => StatusCode == 413;
}
