using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PosBus.CloudSync;

/// <summary>Says once, at start, that the cloud stage is off, so an empty <c>SUPABASE_URL</c> is never a silent surprise.</summary>
sealed class CloudSyncDisabledNotice(IOptions<CloudSyncOptions> options, ILogger<CloudSyncDisabledNotice> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogWarning(
            "Cloud sync is off ({Reason}): messages stay in the lane ledger until it is configured",
            options.Value.Enabled ? $"{CloudSyncConfiguration.SupabaseUrlVariable} / CloudSync:SupabaseUrl is empty" : "CloudSync:Enabled is false");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
