using System.Net;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PosBus.CloudSync.Http;
using PosBus.CloudSync.Messages;
using PosBus.CloudSync.Scheduling;
using PosBus.CloudSync.Tests.Support;
using PosBus.Ledger;
using PosBus.Ledger.Lane;
using PosBus.Ledger.Stores;
using PosBus.TestSupport;
using Quartz;

namespace PosBus.CloudSync.Tests;

/// <summary>The whole chain in a real host: Quartz job → UploadCloudBatch on the bus (test harness, in memory) → consumer → pass.</summary>
public sealed class When_the_schedule_fires : IAsyncLifetime
{
    readonly TestLedger _ledger = new();
    readonly StubCloud _cloud = new();
    IHost _host = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    readonly CapturingLoggerProvider _logs = new();

    async Task<IHost> StartAsync(params (string, string?)[] more)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(TestLane.Settings("http://cloud.test", "stub-key", [("CloudSync:Interval", "01:00:00"), .. more]));
        builder.Logging.ClearProviders().AddProvider(_logs);
        var services = builder.Services;
        services.AddSingleton(Options.Create(_ledger.Options));
        services.AddSingleton(_ledger.Database);
        services.AddSingleton(Options.Create(new LaneOptions { TerminalId = "L1", StoreId = "store-1" }));
        services.AddPosBusCloudSync(builder.Configuration);
        services.AddHttpClient(SupabaseFunctionClient.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => _cloud);
        services.AddMassTransitTestHarness(x => x.AddPosBusCloudSyncConsumers());
        _host = builder.Build();
        await _host.StartAsync();
        return _host;
    }

    [Fact]
    public async Task The_job_sends_the_command_and_the_consumer_uploads()
    {
        await _ledger.InsertOwnAsync(TestMessages.Mixed("L1", DateTimeOffset.UtcNow, 5));
        var host = await StartAsync();
        var harness = host.Services.GetRequiredService<ITestHarness>();

        Assert.True(await harness.Consumed.Any<UploadCloudBatch>(), "the start-now trigger fired");
        Assert.True(await Eventually.TrueAsync(async () => await _ledger.CountAsync(LedgerStatus.CloudAck) == 5, TimeSpan.FromSeconds(10)));
        var nextRun = LedgerTime.ParseOrNull(await host.Services.GetRequiredService<SyncLedger>().ReadStateAsync(CloudSyncStateKeys.NextRunAt));
        Assert.InRange(nextRun!.Value, DateTimeOffset.UtcNow.AddMinutes(59), DateTimeOffset.UtcNow.AddMinutes(61));

        await _ledger.InsertOwnAsync(TestMessages.Mixed("L1", DateTimeOffset.UtcNow, 2));
        var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await scheduler.TriggerJob(CloudSyncJob.Key);
        Assert.True(await Eventually.TrueAsync(async () => await _ledger.CountAsync(LedgerStatus.CloudAck) == 7, TimeSpan.FromSeconds(10)));
        Assert.True(harness.Consumed.Select<UploadCloudBatch>().Count() >= 2);
    }

    [Fact]
    public async Task A_transient_failure_is_retried_by_the_consumer_retry_policy()
    {
        await _ledger.InsertOwnAsync(TestMessages.Mixed("L1", DateTimeOffset.UtcNow, 3));
        var failures = 2;
        _cloud.Respond = _ => Interlocked.Decrement(ref failures) >= 0 ? StubCloud.Json(HttpStatusCode.BadGateway, new { error = "gateway" }) : null;
        var host = await StartAsync(("CloudSync:BackoffBaseMs", "20"), ("CloudSync:BackoffMaxMs", "200"), ("CloudSync:MaxRetries", "3"));
        var harness = host.Services.GetRequiredService<ITestHarness>();

        Assert.True(await Eventually.TrueAsync(async () => await _ledger.CountAsync(LedgerStatus.CloudAck) == 3, TimeSpan.FromSeconds(10)));
        Assert.Equal(3, _cloud.Requests.Count);
        var consumed = harness.Consumed.Select<UploadCloudBatch>().First();
        Assert.Null(consumed.Exception);
        Assert.Equal(0, await _ledger.CountAsync(LedgerStatus.DeadLetter));
    }

    [Fact]
    public async Task A_pass_that_ends_on_its_time_budget_with_a_backlog_left_is_followed_at_once_by_the_next()
    {
        await _ledger.InsertOwnAsync(TestMessages.Mixed("L1", DateTimeOffset.UtcNow, 40));
        _cloud.Respond = _ =>
        {
            Thread.Sleep(5); // longer than the budget: every pass sends one batch and ends partial
            return null;
        };
        var host = await StartAsync(("CloudSync:PassTimeBudget", "00:00:00.001"), ("CloudSync:BatchSize", "4"), ("CloudSync:Adaptive", "false"));
        var harness = host.Services.GetRequiredService<ITestHarness>();

        // The schedule fires once an hour: only passes asking for the next one drain all 40 in time.
        Assert.True(await Eventually.TrueAsync(async () => await _ledger.CountAsync(LedgerStatus.CloudAck) == 40, TimeSpan.FromSeconds(20)));
        Assert.Contains(harness.Consumed.Select<UploadCloudBatch>(), c => c.Context.Message.Reason == PosBus.CloudSync.Consumers.UploadCloudBatchConsumer.Backlog);
        Assert.True(_cloud.Requests.Count >= 5, $"{_cloud.Requests.Count} requests");
    }

    [Fact]
    public async Task Without_a_url_the_stage_is_off_with_one_warning_and_no_schedule()
    {
        await _ledger.InsertOwnAsync(TestMessages.Mixed("L1", DateTimeOffset.UtcNow, 2));
        var host = await StartAsync(("CloudSync:SupabaseUrl", ""), ("CloudSync:ServiceKey", ""));

        Assert.Single(_logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("Cloud sync is off", StringComparison.Ordinal));
        Assert.Null(host.Services.GetService<ISchedulerFactory>());
        var result = await host.Services.GetRequiredService<PosBus.CloudSync.Cli.CloudSyncNow>().RunAsync();
        Assert.Equal(CloudSyncOutcome.Disabled, result.Outcome);
        Assert.Empty(_cloud.Requests);
        Assert.Equal(2, await _ledger.CountAsync(LedgerStatus.PeerAck));
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }

        _ledger.Dispose();
    }
}
