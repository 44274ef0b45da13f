using System.Text.Json;
using PosBus.CloudSync.Tests.Support;
using PosBus.TestSupport;

namespace PosBus.CloudSync.Tests;

/// <summary>The key lives in request headers only: never in logs (every level, HttpClient's own included), ledger, status or errors.</summary>
public sealed class When_the_service_key_is_handled : IAsyncLifetime
{
    readonly TestLedger _ledger = new();
    LocalCloud _cloud = null!;

    public async Task InitializeAsync() => _cloud = await LocalCloud.EnsureUpAsync();

    [Fact]
    public async Task It_appears_in_no_log_line_ledger_text_status_or_result()
    {
        var function = await _cloud.StartFunctionInstanceAsync(new Dictionary<string, string>());
        await using var relay = new TcpRelay(function.FunctionUrl.Port);
        var wrongKey = "wrong-" + Guid.NewGuid().ToString("N");
        await using var good = TestLane.Create(_ledger, TestLane.Settings(relay.Url, _cloud.ServiceKey));
        await using var bad = TestLane.Create(_ledger, TestLane.Settings(relay.Url, wrongKey));
        var results = new List<CloudSyncResult>();

        await _ledger.InsertOwnAsync(TestMessages.Mixed("L1", good.Time.GetUtcNow(), 3).Append(TestMessages.InvalidSale("L1", good.Time.GetUtcNow())));
        results.Add(await good.SyncNow.RunAsync());                   // inserted + invalid
        await _ledger.InsertOwnAsync(TestMessages.Mixed("L1", good.Time.GetUtcNow(), 3));
        results.Add(await bad.SyncNow.RunAsync());                    // 401
        await function.DisposeAsync();
        results.Add(await good.SyncNow.RunAsync());                   // connection reset

        Assert.Equal([CloudSyncOutcome.Ok, CloudSyncOutcome.ConfigurationError, CloudSyncOutcome.TransientFailure], results.Select(r => r.Outcome));
        var logs = good.Logs.All + "\n" + bad.Logs.All;
        Assert.Contains("Sending HTTP request POST", logs, StringComparison.Ordinal); // HttpClient's own logging was captured
        var texts = new[]
        {
            logs,
            string.Join('\n', await _ledger.AllErrorsAsync()),
            JsonSerializer.Serialize(await good.Status.ReadAsync()),
            JsonSerializer.Serialize(results),
        };
        foreach (var text in texts)
        {
            Assert.DoesNotContain(_cloud.ServiceKey, text, StringComparison.Ordinal);
            Assert.DoesNotContain(wrongKey, text, StringComparison.Ordinal);
        }
    }

    public Task DisposeAsync()
    {
        _ledger.Dispose();
        return Task.CompletedTask;
    }
}
