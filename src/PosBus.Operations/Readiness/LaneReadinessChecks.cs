using Microsoft.Extensions.Diagnostics.HealthChecks;
using PosBus.Ledger.Sqlite;
using PosBus.Ledger.Stores;
using Quartz;

namespace PosBus.Operations.Readiness;

/// <summary>Readiness: the lane database answers a query.</summary>
public sealed class LaneDatabaseHealthCheck(LaneDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await new LaneStateStore(database).ProbeAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy("database answers");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"database: {ex.Message}");
        }
    }
}

/// <summary>Readiness: the Quartz scheduler (cloud uploads, retention) is started and not shut down or on standby.</summary>
public sealed class SchedulerHealthCheck(ISchedulerFactory schedulers) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken).ConfigureAwait(false);
        var state = await scheduler.GetStatus(cancellationToken).ConfigureAwait(false);
        return state == SchedulerStatus.Running
            ? HealthCheckResult.Healthy("scheduler running")
            : HealthCheckResult.Unhealthy($"scheduler {state.ToString().ToLowerInvariant()}");
    }
}
