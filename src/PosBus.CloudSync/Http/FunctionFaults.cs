using System.Net.Sockets;

namespace PosBus.CloudSync.Http;

/// <summary>Tells the faults of a call to the <c>sync-pos-message</c> function that a later try may not meet, for uploads and reconcile reads alike.</summary>
public static class FunctionFaults
{
    /// <summary>
    /// True for the network (<see cref="HttpRequestException"/>, and the <see cref="SocketException"/> or
    /// <see cref="IOException"/> HttpClient sometimes lets escape unwrapped, e.g. ENOTCONN when the function drops
    /// mid-connect) and for the client's own timeout; false for the caller's cancellation and anything else.
    /// </summary>
    public static bool IsTransient(Exception fault, CancellationToken cancellationToken) => fault switch
    {
        OperationCanceledException => IsTimeout(fault, cancellationToken),
        HttpRequestException or SocketException or IOException => true,
        _ => false,
    };

    /// <summary>
    /// True for a SQLSTATE a retry does not cure because it comes from the data: class 22 (data exception) and 23
    /// (integrity constraint violation). Other classes (42 schema or privilege, 53 resources, 57 shutdown, XX internal)
    /// say the cloud is broken or busy, not the message, so they stay transient and never dead-letter anything.
    /// </summary>
    public static bool IsRepeatable(string? sqlState) =>
        sqlState is { Length: 5 } && (sqlState.StartsWith("22", StringComparison.Ordinal) || sqlState.StartsWith("23", StringComparison.Ordinal));

    /// <summary>True when the call was cancelled by HttpClient's timeout, not by <paramref name="cancellationToken"/>.</summary>
    public static bool IsTimeout(Exception fault, CancellationToken cancellationToken) =>
        fault is OperationCanceledException && !cancellationToken.IsCancellationRequested;
}
