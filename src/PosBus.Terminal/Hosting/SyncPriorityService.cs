using Microsoft.Extensions.Options;

namespace PosBus.Terminal.Hosting;

/// <summary>
/// Puts the lane process (<c>run</c>) behind the tills on the CPU. A terminal's POS app and its lane share a few cores;
/// while the lane replays, receives and uploads thousands of messages, a sale waited for CPU behind it, and with it for
/// the database lock the sale holds. Registered first so its start runs before the other services start their threads;
/// once the lane has started it lowers again the threads born in between.
/// </summary>
internal sealed class SyncPriorityService(
    IOptions<SyncPriorityOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<SyncPriorityService> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var nice = options.Value.SyncNice;
        if (nice == 0 || !OperatingSystem.IsLinux())
        {
            return Task.CompletedTask;
        }

        var changed = ThreadNice.LowerAll(nice);
        lifetime.ApplicationStarted.Register(() =>
        {
            var late = ThreadNice.LowerAll(nice);
            logger.LogInformation("Lane threads run at nice {Nice} behind the tills ({Threads} threads lowered)", nice, changed + late);
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
