using System.Collections.Concurrent;
using System.Diagnostics;
using PosBus.Terminal.Demo;

namespace PosBus.Terminal.Cli;

/// <summary>
/// <c>demo [--lanes 3] [--stores 1] [--sales 300] [--rate 20] [--timeout 240] [--keep]</c>: the main job as a whole store.
/// Starts the local cloud and the lanes as separate processes, rings up sales on every lane, shows the
/// messages moving through pending → peer_ack → cloud_ack, and ends by checking in Postgres that every
/// committed sale arrived exactly once. Stops everything it started; exit 0 only if the check passed.
/// With <c>--stores N</c> the chain's stores share the one cloud, their lanes have the same ids (L1, L2, …), each store
/// uploads with its own store key, and each store is verified on its own (its sales, under its store id only).
/// </summary>
public static class DemoVerb
{
    public static async Task<int> ExecuteAsync(CliArguments arguments)
    {
        var laneCount = arguments.WholeNumber("--lanes", fallback: 3, min: 1, max: 9);
        var storeCount = arguments.WholeNumber("--stores", fallback: 1, min: 1, max: 9);
        var sales = arguments.WholeNumber("--sales", fallback: 300, min: 1, max: 1_000_000);
        var rate = arguments.Number("--rate", fallback: 20, min: 0.1, max: 10_000);
        var timeout = TimeSpan.FromSeconds(arguments.WholeNumber("--timeout", fallback: 240, min: 10, max: 86_400));
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
        Say($"{(storeCount == 1 ? "store" : $"{storeCount} stores, each")} of {laneCount} lanes, {sales} sales at {rate} sales/s per lane{(storeCount == 1 ? "" : " per store")}; lane data and logs in {workDirectory}");
        try
        {
            Say("starting the local cloud (PostgreSQL 15 + the sync-pos-message function on Deno)");
            await cloud.UpAsync(stop.Token);
            Say($"cloud at {cloud.Url}{(cloud.StartedHere ? "" : " (already running, left running)")}");

            var stores = await PlanStoresAsync(storeCount, laneCount, workDirectory, cloud, stop.Token);
            var all = stores.SelectMany(s => s.Lanes.Select(l => (Store: s.StoreId, Lane: l))).ToList();
            foreach (var (storeId, lane) in all)
            {
                lanes.Add(LaneProcess.Start(["run"], lane.Environment, Path.Combine(lane.DataDirectory, "process.log")));
                Say($"{(storeCount == 1 ? "" : $"store {storeId} ")}lane {lane.TerminalId} on port {lane.Port}, peers {lane.Environment["PEER_TERMINALS"]}");
            }

            using var progress = new StoreProgress(all.Select(a => (storeCount == 1 ? a.Lane.TerminalId : $"{a.Store}/{a.Lane.TerminalId}", a.Lane.Port)).ToList());
            // Every lane starts (and JIT-compiles) at once: a chain's six or more lanes on a small machine need longer than one store's three.
            var startLimit = TimeSpan.FromSeconds(Math.Max(60, 20 * all.Count));
            await WaitUntilAsync(async () => (await progress.ReadAsync(stop.Token)).All(l => l.Reachable), startLimit,
                $"lanes did not answer on /status within {startLimit.TotalSeconds:0} s (see process.log in each lane's folder)", stop.Token);

            var committed = stores.ToDictionary(s => s.StoreId, _ => new ConcurrentBag<Guid>());
            var perLane = (int)Math.Ceiling(sales / (double)laneCount);
            var simulators = all.Select((a, index) => (a.Store, a.Lane, i: index % laneCount)).Select(x => LaneProcess.Start(
                ["simulate", "--events", Math.Min(perLane, sales - (x.i * perLane)).ToString(System.Globalization.CultureInfo.InvariantCulture), "--rate", rate.ToString(System.Globalization.CultureInfo.InvariantCulture), "--print-ids"],
                x.Lane.Environment,
                Path.Combine(x.Lane.DataDirectory, "simulate.log"),
                line =>
                {
                    if (line.StartsWith("COMMITTED ", StringComparison.Ordinal) && Guid.TryParse(line.AsSpan(10), out var id))
                    {
                        committed[x.Store].Add(id);
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
                Say(StoreProgress.Render(counts, committed.Values.Sum(c => c.Count)));
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

            var passed = true;
            foreach (var store in stores)
            {
                // One store alone keeps the check it always had (any store id); a chain checks each store under its own id.
                var verdict = await new CloudVerifier(cloud.DatabaseUrl).VerifyAsync(committed[store.StoreId].ToArray(), storeCount == 1 ? null : store.StoreId, stop.Token);
                Say($"verified in Postgres{(storeCount == 1 ? "" : $" for store {store.StoreId}")}: {verdict.Committed} sales committed, " +
                    $"{verdict.ExactlyOnce} in the cloud exactly once, {verdict.Missing.Count} missing, {verdict.Duplicated.Count} duplicated");
                foreach (var id in verdict.Missing.Take(10))
                {
                    Say($"  missing sale {id}");
                }

                foreach (var id in verdict.Duplicated.Take(10))
                {
                    Say($"  duplicated sale {id}");
                }

                passed &= verdict.Passed && verdict.Committed > 0;
            }

            return passed ? LaneCli.ExitOk : LaneCli.ExitFailed;
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

    /// <summary>One store as before (service key); a chain gets one key per store from store-key.sh, as an operator would issue them.</summary>
    static async Task<List<DemoStore>> PlanStoresAsync(int storeCount, int laneCount, string workDirectory, LocalCloud cloud, CancellationToken cancellationToken)
    {
        if (storeCount == 1)
        {
            return [DemoStore.Plan(laneCount, workDirectory, cloud)];
        }

        var stores = new List<DemoStore>();
        for (var i = 1; i <= storeCount; i++)
        {
            var storeId = $"{DemoStore.DefaultStoreId}-{i}";
            var key = await cloud.IssueStoreKeyAsync(storeId, cancellationToken);
            stores.Add(DemoStore.Plan(laneCount, Path.Combine(workDirectory, storeId), cloud.Url, cloud.ServiceKey, storeId, key));
            Say($"store {storeId}: own store key issued (infra/local-cloud/store-key.sh)");
        }

        return stores;
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
