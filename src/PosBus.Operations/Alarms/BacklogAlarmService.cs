using Microsoft.Extensions.Options;
using PosBus.Ledger.Sqlite;

namespace PosBus.Operations.Alarms;

/// <summary>
/// Checks the backlog alarms every <see cref="AlarmOptions.CheckInterval"/> in the running lane and logs a warning once
/// per threshold crossing (and one line when it clears), so a stuck lane is loud without flooding the log.
/// </summary>
public sealed class BacklogAlarmService(
    LaneDatabase database, IOptionsMonitor<AlarmOptions> options, TimeProvider time, ILogger<BacklogAlarmService> logger) : BackgroundService
{
    readonly HashSet<string> _raised = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await CheckAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogDebug(ex, "Backlog alarm check failed; trying again at the next interval");
            }

            await Task.Delay(options.CurrentValue.CheckInterval, time, stoppingToken).ConfigureAwait(false);
        }
    }

    async Task CheckAsync(CancellationToken cancellationToken)
    {
        var backlog = await LedgerBacklog.ReadAsync(database, cancellationToken).ConfigureAwait(false);
        foreach (var alarm in BacklogAlarm.Evaluate(backlog, options.CurrentValue, time.GetUtcNow()))
        {
            if (alarm.Active && _raised.Add(alarm.Name))
            {
                logger.LogWarning("Backlog alarm {Alarm}: the oldest waiting message is {AgeSeconds:0} s old, over the {ThresholdSeconds:0} s threshold",
                    alarm.Name, alarm.AgeSeconds, alarm.ThresholdSeconds);
            }
            else if (!alarm.Active && _raised.Remove(alarm.Name))
            {
                logger.LogInformation("Backlog alarm {Alarm} cleared", alarm.Name);
            }
        }
    }
}
