using System.Diagnostics;
using PosBus.Terminal.Demo;

namespace PosBus.Chaos;

/// <summary>
/// After the chaos: writers stopped, links and cloud restored, every lane running; then waits until no lane holds a
/// row short of cloud_ack, asking each lane for a cloud pass now and then instead of waiting for its schedule.
/// </summary>
public sealed class StoreSettler(IReadOnlyList<ChaosLane> lanes, CloudSwitch cloud, Action<string> say) : IDisposable
{
    readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public void Dispose() => _http.Dispose();

    public async Task<bool> SettleAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        foreach (var lane in lanes)
        {
            await lane.ExclusiveAsync(lane.StopWriterAsync);
            lane.Relay.Unblock();
        }

        await cloud.EnsureAllUpAsync();
        foreach (var lane in lanes)
        {
            await lane.ExclusiveAsync(async () =>
            {
                if (!lane.RunIsAlive)
                {
                    await lane.StartRunAsync();
                }
            });
        }

        using var progress = new StoreProgress(lanes.Select(l => (l.TerminalId, l.Port)).ToList());
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            var counts = await progress.ReadAsync(cancellationToken);
            if (counts.All(l => l.Reachable && l.Pending == 0 && l.PeerAck == 0))
            {
                say($"settled after {clock.Elapsed.TotalSeconds:F0} s: {StoreProgress.Render(counts, 0)}");
                return true;
            }

            if (clock.Elapsed.TotalSeconds % 15 < 3)
            {
                say($"settling {clock.Elapsed.TotalSeconds:F0} s: {StoreProgress.Render(counts, 0)}");
            }

            await Task.WhenAll(lanes.Select(l => SyncNowAsync(l, cancellationToken)));
            await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
        }

        say($"not settled after {limit.TotalSeconds:F0} s");
        return false;
    }

    /// <summary>One cloud pass by the running lane; a lane still starting or a pass failing is fine, the next round retries.</summary>
    async Task SyncNowAsync(ChaosLane lane, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.PostAsync(new Uri($"http://127.0.0.1:{lane.Port}/sync-now"), null, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
        }
    }
}
