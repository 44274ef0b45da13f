namespace PosBus.Chaos;

/// <summary>
/// The chaos phase: three independent loops until the deadline. Kills (kill -9 of a lane process or of a writer at a
/// random moment, restarted after a random pause), peer link cuts (a lane's relay refuses and resets everything for
/// a while), and cloud outages (the function, Postgres, or both, stopped and started again). Also restarts any
/// process that died on its own, and counts it: a crash nobody caused is a finding.
/// </summary>
public sealed class ChaosMonkey(IReadOnlyList<ChaosLane> lanes, CloudSwitch cloud, ChaosSettings settings, Action<string> say)
{
    readonly Random _random = new(settings.Seed);
    readonly List<Task> _actions = [];
    int _kills;
    int _cuts;
    int _outages;
    int _crashes;

    public int Kills => Volatile.Read(ref _kills);

    public int Cuts => Volatile.Read(ref _cuts);

    public int Outages => Volatile.Read(ref _outages);

    public int Crashes => Volatile.Read(ref _crashes);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.Duration);
        await Task.WhenAll(
            LoopAsync(KillSomethingAsync, 2_000, 8_000, deadline.Token),
            LoopAsync(CutALinkAsync, 4_000, 15_000, deadline.Token),
            LoopAsync(TakeTheCloudAwayAsync, 8_000, 40_000, deadline.Token),
            LoopAsync(RestartTheDeadAsync, 1_000, 1_000, deadline.Token));

        // Actions under way finish their restore step (restart, unblock, cloud up) before the store settles.
        Task[] underWay;
        lock (_actions)
        {
            underWay = [.. _actions];
        }

        await Task.WhenAll(underWay);
        cancellationToken.ThrowIfCancellationRequested();
    }

    async Task LoopAsync(Func<Task> action, int minPauseMs, int maxPauseMs, CancellationToken deadline)
    {
        while (!deadline.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Next(minPauseMs, maxPauseMs), deadline);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await action();
        }
    }

    Task KillSomethingAsync()
    {
        var lane = lanes[Next(0, lanes.Count)];
        var writer = Next(0, 2) == 0;
        var down = TimeSpan.FromMilliseconds(Next(100, 3_000));
        Track(lane.TryExclusiveAsync(async () =>
        {
            if (writer)
            {
                await lane.KillWriterAsync();
            }
            else
            {
                await lane.KillRunAsync();
            }

            Interlocked.Increment(ref _kills);
            await Task.Delay(down);
            if (writer)
            {
                await lane.StartWriterAsync(settings.Rate);
            }
            else
            {
                await lane.StartRunAsync();
            }
        }));
        return Task.CompletedTask;
    }

    Task CutALinkAsync()
    {
        var lane = lanes[Next(0, lanes.Count)];
        var cut = TimeSpan.FromMilliseconds(Next(500, 8_000));
        Interlocked.Increment(ref _cuts);
        Track(Task.Run(async () =>
        {
            lane.Relay.Block();
            await Task.Delay(cut);
            lane.Relay.Unblock();
        }));
        return Task.CompletedTask;
    }

    /// <summary>One outage at a time, awaited by the loop: the next one starts only after the cloud came back.</summary>
    async Task TakeTheCloudAwayAsync()
    {
        var part = (CloudPart)Next(0, 3);
        var length = TimeSpan.FromMilliseconds(Next(2_000, 15_000));
        say($"cloud outage: {part} down for {length.TotalSeconds:F1} s");
        Interlocked.Increment(ref _outages);
        await cloud.StopAsync(part);
        await Task.Delay(length);
        await cloud.StartAsync(part);
    }

    Task RestartTheDeadAsync()
    {
        foreach (var lane in lanes)
        {
            Track(lane.TryExclusiveAsync(async () =>
            {
                if (!lane.RunIsAlive)
                {
                    Interlocked.Increment(ref _crashes);
                    say($"lane {lane.TerminalId}: run process exited by itself; restarting (see run.log)");
                    await lane.StartRunAsync();
                }

                if (!lane.WriterIsAlive)
                {
                    Interlocked.Increment(ref _crashes);
                    say($"lane {lane.TerminalId}: writer exited by itself with code {lane.WriterExitCode}; restarting (see writer.log)");
                    await lane.StartWriterAsync(settings.Rate);
                }
            }));
        }

        return Task.CompletedTask;
    }

    void Track(Task action)
    {
        lock (_actions)
        {
            _actions.RemoveAll(t => t.IsCompleted);
            _actions.Add(action);
        }
    }

    int Next(int min, int max)
    {
        lock (_random)
        {
            return _random.Next(min, max);
        }
    }
}
