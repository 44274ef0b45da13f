using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PosBus.CloudSync.Http;
using PosBus.CloudSync.Tests.Support;

namespace PosBus.CloudSync.Tests;

/// <summary>Status-code mapping of <see cref="SupabaseFunctionClient"/> against a stub handler.</summary>
public sealed class When_the_function_answers : IDisposable
{
    const string Key = "stub-key-5f1c";
    readonly TestLedger _ledger = new();
    readonly StubCloud _cloud = new();

    BoundClient Client(params (string, string?)[] more) =>
        BoundClient.Of(TestLane.Create(_ledger, TestLane.Settings("http://cloud.test", Key, more), _cloud));

    static CloudBatch Batch(params Guid[] ids) => new("L1", "store-1", ids.Select(id => new CloudMessage
    {
        MessageId = id, OriginTerminalId = "L2", Topic = "inventory", Data = """{"messageId":"x","n":[1,2]}""",
        Timestamp = new DateTimeOffset(2026, 1, 2, 3, 4, 5, 123, TimeSpan.Zero).AddTicks(4567), PeerAckedAt = null,
    }).ToList());

    [Fact]
    public async Task Sends_the_key_as_bearer_and_apikey_and_the_body_unchanged_as_data()
    {
        var id = Guid.NewGuid();
        var results = await Client().PostBatchAsync(Batch(id), CancellationToken.None);

        var request = Assert.Single(_cloud.Requests);
        Assert.Equal(new Uri("http://cloud.test/functions/v1/sync-pos-message"), request.Message.RequestUri);
        Assert.Equal($"Bearer {Key}", request.Message.Headers.GetValues("Authorization").Single());
        Assert.Equal(Key, request.Message.Headers.GetValues("apikey").Single());
        Assert.Equal("application/json", request.Message.Content!.Headers.ContentType!.MediaType);
        Assert.Contains("\"data\":{\"messageId\":\"x\",\"n\":[1,2]}", request.Body, StringComparison.Ordinal);
        Assert.Contains("\"originTerminalId\":\"L2\"", request.Body, StringComparison.Ordinal);
        Assert.Contains("\"timestamp\":\"2026-01-02T03:04:05.1234567Z\",\"peerAckedAt\":null", request.Body, StringComparison.Ordinal);
        Assert.Equal(("L1", "store-1"), (request.Json.GetProperty("terminalId").GetString(), request.Json.GetProperty("storeId").GetString()));
        Assert.Equal(new CloudMessageResult(id, "inserted"), Assert.Single(results));
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.NotFound)]
    public async Task A_refused_lane_is_a_configuration_error(HttpStatusCode status)
    {
        _cloud.Respond = _ => StubCloud.Json(status, new { error = "missing or wrong key" });
        var ex = await Assert.ThrowsAsync<CloudConfigurationException>(() => Client().PostBatchAsync(Batch(Guid.NewGuid()), CancellationToken.None));
        Assert.DoesNotContain(Key, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpStatusCode.RequestEntityTooLarge, true)]
    [InlineData(HttpStatusCode.BadRequest, false)]
    public async Task A_refused_batch_is_rejected_for_splitting(HttpStatusCode status, bool tooLarge)
    {
        _cloud.Respond = _ => StubCloud.Json(status, new { error = "nope" });
        var ex = await Assert.ThrowsAsync<CloudBatchRejectedException>(() => Client().PostBatchAsync(Batch(Guid.NewGuid()), CancellationToken.None));
        Assert.Equal(tooLarge, ex.IsTooLarge);
        Assert.Contains("nope", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    [InlineData(HttpStatusCode.RequestTimeout)]
    public async Task Overload_and_server_errors_are_transient_and_carry_retry_after(HttpStatusCode status)
    {
        _cloud.Respond = _ =>
        {
            var response = StubCloud.Json(status, new { error = "later" });
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(7));
            return response;
        };
        var ex = await Assert.ThrowsAsync<CloudTransientException>(() => Client().PostBatchAsync(Batch(Guid.NewGuid()), CancellationToken.None));
        Assert.Equal(TimeSpan.FromSeconds(7), ex.RetryAfter);
        Assert.StartsWith($"HTTP {(int)status}", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("23514")]
    [InlineData("22P02")]
    [InlineData("23505")]
    public async Task A_500_naming_a_data_sqlstate_is_a_repeatable_refusal_with_the_server_s_reason(string sqlState)
    {
        _cloud.Respond = _ => StubCloud.Json(HttpStatusCode.InternalServerError,
            new { error = $"database refused the batch: violates check constraint \"c\" ({Key})", sqlstate = sqlState });
        var ex = await Assert.ThrowsAsync<CloudRepeatableFailureException>(() => Client().PostBatchAsync(Batch(Guid.NewGuid()), CancellationToken.None));
        Assert.Equal(sqlState, ex.SqlState);
        Assert.Equal($"HTTP 500 sqlstate {sqlState}: database refused the batch: violates check constraint \"c\" (***)", ex.Message);
    }

    [Theory]
    [InlineData("""{"error":"internal error"}""")]
    [InlineData("""{"error":"database refused the batch: permission denied","sqlstate":"42501"}""")]
    [InlineData("""{"error":"shutting down","sqlstate":"57P01"}""")]
    [InlineData("""{"error":"x","sqlstate":23514}""")]
    [InlineData("<html>bad gateway</html>")]
    public async Task A_500_without_a_data_sqlstate_stays_transient(string body)
    {
        _cloud.Respond = _ => new HttpResponseMessage(HttpStatusCode.InternalServerError) { Content = new StringContent(body) };
        var ex = await Assert.ThrowsAsync<CloudTransientException>(() => Client().PostBatchAsync(Batch(Guid.NewGuid()), CancellationToken.None));
        Assert.StartsWith("HTTP 500", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_503_with_a_sqlstate_stays_transient()
    {
        _cloud.Respond = _ => StubCloud.Json(HttpStatusCode.ServiceUnavailable, new { error = "database unavailable", sqlstate = "23514" });
        await Assert.ThrowsAsync<CloudTransientException>(() => Client().PostBatchAsync(Batch(Guid.NewGuid()), CancellationToken.None));
    }

    [Fact]
    public async Task A_timeout_is_transient()
    {
        _cloud.Respond = _ => throw new TaskCanceledException("simulated timeout", new TimeoutException());
        var ex = await Assert.ThrowsAsync<CloudTransientException>(() => Client(("CloudSync:HttpTimeout", "00:00:00.5")).PostBatchAsync(Batch(Guid.NewGuid()), CancellationToken.None));
        Assert.StartsWith("timed out", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hanging_function_times_out_after_HttpTimeout()
    {
        var lane = TestLane.Create(_ledger, TestLane.Settings("http://cloud.test", Key, ("CloudSync:HttpTimeout", "00:00:00.3")), new HangingHandler());
        var client = BoundClient.Of(lane);
        await Assert.ThrowsAsync<CloudTransientException>(() => client.PostBatchAsync(Batch(Guid.NewGuid()), CancellationToken.None));
    }

    [Fact]
    public async Task A_network_failure_is_transient()
    {
        _cloud.Respond = _ => throw new HttpRequestException("Connection refused (127.0.0.1:9)");
        var ex = await Assert.ThrowsAsync<CloudTransientException>(() => Client().PostBatchAsync(Batch(Guid.NewGuid()), CancellationToken.None));
        Assert.Equal("network: Connection refused (127.0.0.1:9)", ex.Message);
    }

    [Fact]
    public async Task An_unreadable_200_is_transient_not_a_verdict()
    {
        _cloud.Respond = _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("<html>proxy</html>") };
        await Assert.ThrowsAsync<CloudTransientException>(() => Client().PostBatchAsync(Batch(Guid.NewGuid()), CancellationToken.None));
    }

    [Fact]
    public async Task A_socket_fault_that_escapes_http_client_unwrapped_is_transient()
    {
        // Seen in CI: ENOTCONN thrown straight from HttpConnectionPool when the function went down mid-connect.
        _cloud.Respond = _ => throw new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.NotConnected);
        var ex = await Assert.ThrowsAsync<CloudTransientException>(() => Client().PostBatchAsync(Batch(Guid.NewGuid()), CancellationToken.None));
        Assert.StartsWith("network:", ex.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _ledger.Dispose();

    sealed class HangingHandler : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }

    /// <summary>The client with the lane's current settings, as a pass calls it.</summary>
    sealed record BoundClient(SupabaseFunctionClient Client, CloudSyncOptions Settings)
    {
        public static BoundClient Of(TestLane lane) => new(
            lane.Provider.GetRequiredService<SupabaseFunctionClient>(), lane.Provider.GetRequiredService<IOptionsMonitor<CloudSyncOptions>>().CurrentValue);

        public Task<IReadOnlyList<CloudMessageResult>> PostBatchAsync(CloudBatch batch, CancellationToken cancellationToken) =>
            Client.PostBatchAsync(batch, Settings, cancellationToken);
    }
}
