using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PosBus.Ledger;
using PosBus.Ledger.Cloud;
using Quartz;

namespace PosBus.CloudSync.Scheduling;

/// <summary>
/// Live retuning of the upload schedule: when <c>CloudSync:Interval</c> or <c>CloudSync:Cron</c> changes in
/// <c>appsettings.json</c> or <c>settings.local.json</c> (and passes validation), the Quartz trigger is replaced at once
/// and the new next run is recorded for <c>status</c>. Other CloudSync settings are read per pass and need nothing here.
/// </summary>
sealed class CloudScheduleRetuner(
    IOptionsMonitor<CloudSyncOptions> options, ISchedulerFactory schedulers, CloudLedger ledger, TimeProvider time, ILogger<CloudScheduleRetuner> logger)
    : IHostedService, IDisposable
{
    readonly SemaphoreSlim _gate = new(1, 1);
    IDisposable? _subscription;
    string _applied = "";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _applied = CloudSyncSchedule.Describe(options.CurrentValue);
        _subscription = options.OnChange((changed, name) => _ = RescheduleAsync(changed));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _gate.Dispose();
    }

    // Never throws: every failure is logged inside, so the task may run unobserved.
    async Task RescheduleAsync(CloudSyncOptions changed)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            var schedule = CloudSyncSchedule.Describe(changed);
            if (schedule == _applied)
            {
                return;
            }

            var scheduler = await schedulers.GetScheduler().ConfigureAwait(false);
            var next = await scheduler.RescheduleJob(CloudSyncJob.TriggerKey, CloudSyncSchedule.Trigger(changed)).ConfigureAwait(false);
            logger.LogInformation("Cloud sync schedule changed from {Old} to {New}; next run {NextRunAt:o}", _applied, schedule, next);
            _applied = schedule;
            if (next is { } at)
            {
                await ledger.WriteStateAsync(new Dictionary<string, string> { [CloudSyncStateKeys.NextRunAt] = LedgerTime.ToText(at) }, time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            // Runs from the configuration watcher: log, keep the old trigger, never throw into the watcher.
            logger.LogError(ex, "Could not apply the new cloud sync schedule; the previous one ({Old}) stays", _applied);
        }
        finally
        {
            _gate.Release();
        }
    }
}
