using System.Diagnostics;
using PosBus.Terminal.Cli;
using PosBus.Terminal.Demo;
using LocalCloud = PosBus.TestSupport.LocalCloud;
using PosBus.TestSupport;

namespace PosBus.Chaos;

/// <summary>
/// <c>--minutes M [--lanes 3] [--rate 5] [--seed S] [--settle-minutes 3] [--keep]</c>: a store of lanes as processes and
/// the local cloud, shaken for M minutes, settled, and checked sale by sale. The last line is
/// <c>kills=K outages=O sales=S lost=L duplicated=D stuck=T</c>; the exit code is 0 only when nothing was lost,
/// doubled or stuck (and no process died on its own, and every database is intact).
/// </summary>
public static class ChaosCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        ChaosSettings settings;
        try
        {
            settings = ChaosSettings.Parse(args);
        }
        catch (CliException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}\nusage: PosBus.Chaos --minutes M [--lanes 3] [--rate 5] [--seed S] [--settle-minutes 3] [--keep]");
            return 2;
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };

        Environment.SetEnvironmentVariable("MASSTRANSIT_USAGE_TELEMETRY", "false");
        var clock = Stopwatch.StartNew();
        void Say(string line) => Console.WriteLine($"[chaos {clock.Elapsed:hh\\:mm\\:ss}] {line}");

        var cloud = await LocalCloud.EnsureUpAsync(stop.Token);
        var cloudSwitch = new CloudSwitch(cloud);
        var workDirectory = Path.Combine(Path.GetTempPath(), $"posbus-chaos-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}");
        var sales = new CommittedSales();
        var lanes = ChaosStore.Plan(settings.Lanes, workDirectory, cloud.Url.ToString().TrimEnd('/'), cloud.ServiceKey, BuildOutput.TerminalDll, sales);
        var monkey = new ChaosMonkey(lanes, cloudSwitch, settings, Say);
        Say($"{settings.Lanes} lanes, {settings.Rate} sales/s each, {settings.Duration.TotalMinutes:F1} min of chaos, seed {settings.Seed}; lanes in {workDirectory}");
        ChaosVerdict? verdict = null;
        try
        {
            foreach (var lane in lanes)
            {
                await lane.StartRunAsync();
            }

            await WaitForLanesAsync(lanes, stop.Token);
            foreach (var lane in lanes)
            {
                await lane.StartWriterAsync(settings.Rate);
            }

            using (var reporting = CancellationTokenSource.CreateLinkedTokenSource(stop.Token))
            {
                var report = ReportAsync(monkey, sales, Say, reporting.Token);
                await monkey.RunAsync(stop.Token);
                await reporting.CancelAsync();
                await report;
            }

            Say($"chaos over: {monkey.Kills} kills, {monkey.Cuts} link cuts, {monkey.Outages} cloud outages, {sales.Count} sales committed; settling");
            using var settler = new StoreSettler(lanes, cloudSwitch, Say);
            await settler.SettleAsync(settings.Settle, stop.Token);
            foreach (var lane in lanes)
            {
                await lane.ExclusiveAsync(lane.StopRunAsync);
            }

            verdict = await ChaosVerdict.ReachAsync(lanes, sales, cloud.DbUri, monkey, stop.Token);
            foreach (var finding in verdict.Findings)
            {
                Say(finding);
            }
        }
        finally
        {
            foreach (var lane in lanes)
            {
                await lane.DisposeAsync();
            }

            await cloudSwitch.EnsureAllUpAsync();
            if (verdict is { Passed: true } && !settings.Keep)
            {
                Directory.Delete(workDirectory, recursive: true);
            }
            else
            {
                Say($"lane folders kept in {workDirectory}");
            }
        }

        Console.WriteLine(verdict.Line);
        return verdict.Passed ? 0 : 1;
    }

    static async Task WaitForLanesAsync(IReadOnlyList<ChaosLane> lanes, CancellationToken cancellationToken)
    {
        using var progress = new StoreProgress(lanes.Select(l => (l.TerminalId, l.Port)).ToList());
        var answered = await Eventually.TrueAsync(
            async () => (await progress.ReadAsync(cancellationToken)).All(l => l.Reachable), TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(250));
        if (!answered)
        {
            throw new InvalidOperationException("lanes did not answer /status within 90 s (see run.log in each lane's folder)");
        }
    }

    static async Task ReportAsync(ChaosMonkey monkey, CommittedSales sales, Action<string> say, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(15), cancellationToken);
                say($"{monkey.Kills} kills, {monkey.Cuts} link cuts, {monkey.Outages} cloud outages, {monkey.Crashes} crashes, {sales.Count} sales committed");
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
