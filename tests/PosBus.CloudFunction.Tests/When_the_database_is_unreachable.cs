using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using PosBus.TestSupport;
using static PosBus.CloudFunction.Tests.Messages;

namespace PosBus.CloudFunction.Tests;

/// <summary>
/// The function answers 503 + Retry-After, in bounded time, when Postgres is down or frozen, so a
/// lane backs off instead of dead-lettering or hanging. The first two cases use a private function
/// process so the shared cloud stays up for everyone else; the last stops the real database.
/// </summary>
[Collection(CloudCollection.Name)]
public sealed class When_the_database_is_unreachable(CloudFixture f)
{
    [Fact]
    public async Task A_refused_connection_is_503_with_retry_after()
    {
        await using var fn = await f.Cloud.StartFunctionInstanceAsync(new Dictionary<string, string>
        {
            // Nothing listens on a free port: the connection is refused.
            ["SUPABASE_DB_URL"] = $"postgres://postgres:x@127.0.0.1:{FreePort.Next()}/postgres",
        });
        var watch = Stopwatch.StartNew();

        using var response = await f.PostAsync(Batch("L1", Sale("L1")), url: fn.FunctionUrl);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task A_database_that_never_answers_is_503_within_the_timeout()
    {
        // Accepts TCP connections and then says nothing: a frozen Postgres.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start(backlog: 16);
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        await using var fn = await f.Cloud.StartFunctionInstanceAsync(new Dictionary<string, string>
        {
            ["SUPABASE_DB_URL"] = $"postgres://postgres:x@127.0.0.1:{port}/postgres",
            ["POSBUS_DB_TIMEOUT_MS"] = "1500",
        });
        var watch = Stopwatch.StartNew();

        using var response = await f.PostAsync(Batch("L1", Sale("L1")), url: fn.FunctionUrl);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Stopping_postgres_gives_503_and_a_restart_recovers_without_a_function_restart()
    {
        var sale = Sale("L1");
        await f.SyncAsync(Batch("L1", Sale("L1"))); // the function's pool holds live connections now
        await f.Cloud.StopDatabaseAsync();
        try
        {
            using var down = await f.PostAsync(Batch("L1", sale));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
            Assert.NotNull(down.Headers.RetryAfter);
        }
        finally
        {
            await f.Cloud.StartDatabaseAsync();
        }

        // The pool reconnects by itself; poll rather than sleep.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        HttpStatusCode status;
        do
        {
            using var response = await f.PostAsync(Batch("L1", sale));
            status = response.StatusCode;
            if (status == HttpStatusCode.OK) break;
            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, await f.CountAsync("pos_messages", [Id(sale)]));
    }
}
