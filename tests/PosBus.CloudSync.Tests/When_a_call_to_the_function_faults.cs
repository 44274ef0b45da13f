using System.Net.Sockets;
using PosBus.CloudSync.Http;

namespace PosBus.CloudSync.Tests;

/// <summary><see cref="FunctionFaults"/>: which faults uploads and reconcile reads retry rather than fail on.</summary>
public sealed class When_a_call_to_the_function_faults
{
    static readonly CancellationToken NotCancelled = CancellationToken.None;
    static readonly CancellationToken Cancelled = new(canceled: true);

    public static TheoryData<Exception> NetworkFaults => new()
    {
        new HttpRequestException("Connection refused (127.0.0.1:9)"),
        // ENOTCONN thrown straight from HttpConnectionPool when the function went down mid-connect (seen in CI).
        new SocketException((int)SocketError.NotConnected),
        new IOException("The response ended prematurely."),
    };

    [Theory]
    [MemberData(nameof(NetworkFaults))]
    public void The_network_is_transient_but_no_timeout(Exception fault)
    {
        Assert.True(FunctionFaults.IsTransient(fault, NotCancelled));
        Assert.False(FunctionFaults.IsTimeout(fault, NotCancelled));
    }

    [Fact]
    public void The_clients_own_timeout_is_a_transient_timeout()
    {
        var timeout = new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout", new TimeoutException());
        Assert.True(FunctionFaults.IsTransient(timeout, NotCancelled));
        Assert.True(FunctionFaults.IsTimeout(timeout, NotCancelled));
    }

    [Fact]
    public void The_callers_cancellation_is_neither()
    {
        var cancelled = new OperationCanceledException(Cancelled);
        Assert.False(FunctionFaults.IsTransient(cancelled, Cancelled));
        Assert.False(FunctionFaults.IsTimeout(cancelled, Cancelled));
    }

    [Fact]
    public void A_fault_of_the_code_is_not_transient()
    {
        Assert.False(FunctionFaults.IsTransient(new InvalidOperationException("a bug"), NotCancelled));
        Assert.False(FunctionFaults.IsTransient(new System.Text.Json.JsonException("bad answer"), NotCancelled));
    }
}
