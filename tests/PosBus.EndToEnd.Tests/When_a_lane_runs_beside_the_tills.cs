using PosBus.Terminal.Demo;
using PosBus.Terminal.Hosting;

namespace PosBus.EndToEnd.Tests;

/// <summary>
/// The lane process runs behind the tills on the CPU (Linux nice, <c>Priority:SyncNice</c>): every one of its threads,
/// also those born after start-up while it syncs, while a writer (the POS side) keeps the normal priority.
/// </summary>
public sealed class When_a_lane_runs_beside_the_tills
{
    [Fact]
    public async Task Every_thread_of_the_lane_runs_at_the_sync_nice_value_and_a_writer_does_not()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        using var lane = new LaneDirectory("L1");
        var environment = lane.Environment();
        environment["POSBUS__Priority__SyncNice"] = "7";
        await using var run = LaneProcess.Start(TerminalExecutable.DllPath, ["run"], environment, Path.Combine(lane.Path, "run.log"));
        using var http = new LaneHttp(lane.Port);
        await http.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60), () => File.ReadAllText(Path.Combine(lane.Path, "run.log")));

        // Work that makes the lane start more threads (delivery, HTTP requests) while a writer sells beside it.
        var writer = LaneProcess.Start(TerminalExecutable.DllPath, ["simulate", "--events", "400", "--rate", "100"], environment, Path.Combine(lane.Path, "simulate.log"));
        await using (writer)
        {
            for (var i = 0; i < 20; i++)
            {
                await http.StatusAsync();
                await Task.Delay(100);
            }

            var writerNice = NiceOfThreads(writer.Id);
            Assert.NotEmpty(writerNice);
            Assert.All(writerNice, n => Assert.Equal(0, n));
        }

        var laneNice = NiceOfThreads(run.Id);
        Assert.True(laneNice.Count > 10, $"only {laneNice.Count} threads seen");
        Assert.All(laneNice, n => Assert.Equal(7, n));
    }

    // Threads that ended between listing and reading are left out.
    static List<int> NiceOfThreads(int processId) =>
        Directory.EnumerateDirectories($"/proc/{processId}/task").Select(ThreadNice.Of).OfType<int>().ToList();
}
