using System.Collections.Concurrent;
using System.Diagnostics;
using PosBus.Terminal.Demo;

namespace PosBus.Terminal.Cli;

/// <summary>
/// <c>demo [--lanes 3] [--sales 300] [--rate 20] [--timeout 240] [--keep]</c>: the main job as a whole store.
/// Starts the local cloud and the lanes as separate processes, rings up sales on every lane, shows the
/// messages moving through pending → peer_ack → cloud_ack, and ends by checking in Postgres that every
/// committed sale arrived exactly once. Stops everything it started; exit 0 only if the check passed.
/// </summary>
public static class DemoVerb
{
    public static async Task<int> ExecuteAsync(CliArguments arguments)
    {
        var laneCount = arguments.Int("--lanes", fallback: 3, min: 1, max: 9);
        var sales = arguments.Int("--sales", fallback: 300, min: 1, max: 1_000_000);
        var rate = arguments.Double("--rate", fallback: 20, min: 0.1, max: 10_000);
        var timeout = TimeSpan.FromSeconds(arguments.Int("--timeout", fallback: 240, min: 10, max: 86_400));
        var keep = arguments.Has("--keep");
        arguments.RejectUnknown();

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };

        var root = RepositoryRoot.Find();
        var workDirectory = Path.Combine(Path.GetTempPath(), $"posbus-demo-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}");
        var cloud = new LocalCloud(root);
        var lanes = new List<LaneProcess>();
        Say($"store of {laneCount} lanes, {sales} sales at {rate} sales/s per lane; lane data and logs in {workDirectory}");
        try
        {
            Say("starting the local cloud (PostgreSQL 15 + the sync-pos-message function on Deno)");
            await cloud.UpAsync(stop.Token);
            Say($"cloud at {cloud.Url}{(cloud.StartedHere ? "" : " (already running, left running)")}");

            var store = DemoStore.Plan(laneCount, workDirectory, cloud);
            foreach (var lane in store.Lanes)
            {
                lanes.Add(LaneProcess.Start(["run"], lane.Environment, Path.Combine(lane.DataDirectory, "process.log")));
                Say($"lane {lane.TerminalId} on port {lane.Port}, peers {lane.Environment["PEER_TERMINALS"]}");
            }

            using var progress = new StoreProgress(store.Lanes.Select(l => (l.TerminalId, l.Port)).ToList());
            await WaitUntilAsync(async () => (await progress.ReadAsync(stop.Token)).All(l => l.Reachable), TimeSpan.FromSeconds(60),
                "lanes did not answer on /status within 60 s (see process.log in each lane's folder)", stop.Token);

            var committed = new ConcurrentBag<Guid>();
            var perLane = (int)Math.Ceiling(sales / (double)laneCount);
            var simulators = store.Lanes.Select((lane, i) => LaneProcess.Start(
                ["simulate", "--events", Math.Min(perLane, sales - (i * perLane)).ToString(System.Globalization.CultureInfo.InvariantCulture), "--rate", rate.ToString(System.Globalization.CultureInfo.InvariantCulture), "--print-ids"],
                lane.Environment,
                Path.Combine(lane.DataDirectory, "simulate.log"),
                line =>
                {
                    if (line.StartsWith("COMMITTED ", StringComparison.Ordinal) && Guid.TryParse(line.AsSpan(10), out var id))
                    {
                        committed.Add(id);
                    }
                })).ToList();

            var clock = Stopwatch.StartNew();
            var quiet = false;
            while (!quiet)
            {
                stop.Token.ThrowIfCancellationRequested();
                if (clock.Elapsed > timeout)
                {
                    Say($"timed out after {timeout.TotalSeconds:F0} s before every sale reached cloud_ack");
                    return LaneCli.ExitFailed;
                }

                await Task.Delay(TimeSpan.FromSeconds(1), stop.Token);
                var counts = await progress.ReadAsync(stop.Token);
                Say(StoreProgress.Render(counts, committed.Count));
                var simulating = simulators.Any(s => !s.HasExited);
                quiet = !simulating && counts.All(l => l.Reachable && l.Pending == 0 && l.PeerAck == 0);
            }

            foreach (var simulator in simulators)
            {
                if (simulator.ExitCode != 0)
                {
                    Say($"a simulator exited with code {simulator.ExitCode} (see simulate.log)");
                }

                await simulator.DisposeAsync();
            }

            var verdict = await new CloudVerifier(cloud.DatabaseUrl).VerifyAsync(committed.ToArray(), stop.Token);
            Say($"verified in Postgres: {verdict.Committed} sales committed, {verdict.ExactlyOnce} in the cloud exactly once, " +
                $"{verdict.Missing.Count} missing, {verdict.Duplicated.Count} duplicated");
            foreach (var id in verdict.Missing.Take(10))
            {
                Say($"  missing sale {id}");
            }

            foreach (var id in verdict.Duplicated.Take(10))
            {
                Say($"  duplicated sale {id}");
            }

            return verdict.Passed && verdict.Committed > 0 ? LaneCli.ExitOk : LaneCli.ExitFailed;
        }
        finally
        {
            Say("stopping lanes");
            foreach (var lane in lanes)
            {
                await lane.DisposeAsync();
            }

            await cloud.DownAsync();
            if (!keep && Directory.Exists(workDirectory))
            {
                Directory.Delete(workDirectory, recursive: true);
            }
        }
    }

    static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan limit, string failure, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > limit)
            {
                throw new InvalidOperationException(failure);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }
    }

    static void Say(string line) => Console.WriteLine($"[demo {DateTime.Now:HH:mm:ss}] {line}");
}
